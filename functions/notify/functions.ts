import { defineConsumer } from '../../shared/events/consumer.js';
import { eventFunction, scheduledFunction, type FunctionDef } from '../../shared/runtime/functions.js';
import { sendOtp, sendOtpConsumer } from './otp/send-otp.js';
import { sendEmailConsumer, sendEmailEvent } from './email/send-email-event.js';
import { sendPush, sendPushConsumer } from './push/send-push.js';
import { sweepOutbox } from './outbox/sweep-outbox.js';

export const notifyFunctions: readonly FunctionDef[] = [
  eventFunction(sendOtpConsumer, 'otp.requested', defineConsumer({ name: sendOtpConsumer, topic: 'otp.requested', handle: sendOtp })),
  eventFunction(sendEmailConsumer, 'email.requested', defineConsumer({ name: sendEmailConsumer, topic: 'email.requested', handle: sendEmailEvent })),
  eventFunction(sendPushConsumer, 'push.requested', defineConsumer({ name: sendPushConsumer, topic: 'push.requested', handle: sendPush })),
  scheduledFunction({ name: 'sweepOutbox', schedule: '* * * * *', run: () => sweepOutbox() }),
];
