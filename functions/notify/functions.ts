import { scheduledFunction, type FunctionDef } from '../../shared/runtime/functions.js';
import { sweepOutbox } from './outbox/sweep-outbox.js';

export const notifyFunctions: readonly FunctionDef[] = [
  scheduledFunction({ name: 'sweepOutbox', schedule: '* * * * *', run: () => sweepOutbox() }),
];
