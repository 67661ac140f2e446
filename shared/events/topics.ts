import { z } from 'zod';

/**
 * Every Pub/Sub topic the system uses, with the schema of its message data (DESIGN §6). Producers are
 * checked against it when they write the outbox row; consumers when they decode the message.
 */
const locale = z.enum(['id', 'en']).default('id');
const otpPurpose = z.enum(['REGISTER', 'NEW_DEVICE', 'RESET_PASSWORD', 'CHANGE_PHONE', 'CHANGE_EMAIL', 'INVESTOR_SIGNATURE', 'INVESTOR_REGISTRATION']);

export const emailTemplates = [
  'OTP',
  'RM_REGISTRATION_RECEIVED',
  'RM_APPROVED',
  'RM_REJECTED',
  'USER_INVITE',
  'INSTRUCTION_SIGNATURE_LINK',
  'INVESTOR_REMOTE_REGISTRATION',
  'INSTRUCTION_RECEIPT',
  'PASSWORD_CHANGED',
  'NEW_DEVICE_LOGIN',
] as const;

const entityRef = z.strictObject({ type: z.string().min(1), id: z.string().min(1) });

export const topics = {
  'otp.requested': z.strictObject({
    // The code itself never travels: the consumer reads the OTT row.
    ottId: z.uuid(),
    channel: z.enum(['SMS', 'EMAIL']),
    destination: z.string().min(3).max(320),
    purpose: otpPurpose,
    locale,
  }),
  'email.requested': z.strictObject({
    template: z.enum(emailTemplates),
    to: z.email(),
    variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    // The one secret an email may carry (a signing or set-password link), encrypted with
    // shared/crypto (context "email.link") so it is not readable in the message.
    secureLink: z.string().startsWith('v1.').optional(),
    locale,
    entity: entityRef.optional(),
  }),
  'push.requested': z.strictObject({
    userIds: z.array(z.number().int().positive()).min(1).max(1000),
    type: z.string().min(1).max(64),
    title: z.string().min(1).max(200),
    body: z.string().min(1).max(1000),
    data: z.record(z.string(), z.string()).default({}),
  }),
  'bib.sync.requested': z.discriminatedUnion('scope', [
    // The scheduled run: everything due, every tenant.
    z.strictObject({ scope: z.literal('all') }),
    // An admin's "sync now": everything due of one tenant.
    z.strictObject({ scope: z.literal('company'), companyId: z.number().int().positive() }),
    z.strictObject({ scope: z.literal('investors'), investorIds: z.array(z.uuid()).min(1).max(500) }),
    z.strictObject({ scope: z.literal('instructions'), instructionIds: z.array(z.uuid()).min(1).max(500) }),
  ]),
} as const;

export type TopicName = keyof typeof topics;
export type TopicPayload<T extends TopicName> = z.infer<(typeof topics)[T]>;
/** What a producer passes in: defaults (such as locale) may be left out. */
export type TopicInput<T extends TopicName> = z.input<(typeof topics)[T]>;

export const topicNames = Object.keys(topics) as TopicName[];

/** Cloud Scheduler publishes `{ "job": name }` to a schedule topic; scheduled functions are triggered by it. */
export const scheduleMessage = z.strictObject({ job: z.string().min(1) });

export function scheduleTopic(deployName: string): string {
  return `schedule.${deployName}`;
}
