// The transition table lives in shared/ (bib-sync and crm's webhook move instructions too); crm's modules
// keep importing it from here.
export * from '../../../shared/instructions/instruction-status.js';
