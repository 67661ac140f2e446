import { randomInt } from 'node:crypto';
import { request } from './http.js';
import { bearer, signIn } from './auth.js';
import { asSuperAdmin, createCompany } from './owner.js';
import { uniqueContact } from './users.js';
import { questionnaire2026v1 } from '../../functions/crm/kyc/risk-questionnaire-2026-1.js';
import { ktpAddress, nikFor, randomBirthDate, sampleIndividual } from '../../tools/local/sample-kyc.js';

export const crm = () => request('crm');

export { gambir, ktpAddress, nikFor, randomBirthDate } from '../../tools/local/sample-kyc.js';

export const npwpDigits = () => `${randomInt(10_000_000, 99_999_999)}${randomInt(1_000_000, 9_999_999)}`;
export const accountNumber = () => String(randomInt(1_000_000_000, 9_999_999_999));

/** Answers scoring `pick` ('low' | 'high') on every question of the current questionnaire. */
export function riskAnswers(pick: 'low' | 'high' = 'low') {
  return {
    questionnaireVersion: questionnaire2026v1.version,
    answers: questionnaire2026v1.questions.map((q) => {
      const sorted = [...q.options].sort((a, b) => a.score - b.score);
      return { questionId: q.id, value: (pick === 'low' ? sorted[0] : sorted.at(-1))!.value };
    }),
  };
}

/** A valid individual KYC body (POST /crm/investors), a fresh identity each call. */
export function individualBody(over: { fullName?: string; birthDate?: string; gender?: 'MALE' | 'FEMALE'; holderName?: string; leadId?: number } = {}) {
  const birthDate = over.birthDate ?? randomBirthDate();
  const gender = over.gender ?? 'MALE';
  const fullName = over.fullName ?? 'Budi Santoso';
  const { email, phone } = uniqueContact();
  return {
    type: 'INDIVIDUAL' as const,
    ...(over.leadId === undefined ? {} : { leadId: over.leadId }),
    individual: sampleIndividual({ fullName, birthDate, gender, email, phone, npwp: npwpDigits() }),
    riskProfile: riskAnswers(),
    bankAccounts: [{ bankCode: '014', accountNumber: accountNumber(), accountHolderName: over.holderName ?? fullName.toUpperCase(), isPrimary: true }],
  };
}

/** A valid institutional KYC body, a fresh NPWP and NIB each call. */
export function institutionalBody(over: { name?: string } = {}) {
  const contact = uniqueContact();
  const director = uniqueContact();
  const name = over.name ?? 'PT Maju Bersama Tbk';
  return {
    type: 'INSTITUTIONAL' as const,
    institutional: {
      name,
      legalForm: '1',
      npwp: npwpDigits(),
      nib: `${randomInt(1_000_000, 9_999_999)}${randomInt(100_000, 999_999)}`,
      deedNumber: '12',
      deedDate: '2015-03-02',
      establishedPlace: 'Jakarta',
      establishedDate: '2010-01-15',
      lineOfBusiness: 'Perdagangan besar',
      address: ktpAddress,
      totalAssets: '2',
      sourceOfFunds: '3',
      investmentObjective: '3',
      contactPerson: { name: 'Dewi Lestari', title: 'Finance Manager', ...contact },
      authorizedPersons: [{ name: 'Agus Wijaya', title: 'Direktur Utama', nik: nikFor('1975-06-15', 'MALE'), ...director }],
      ultimateBeneficialOwner: { name: 'Agus Wijaya', nationality: 'ID', ownershipPercent: 60 },
    },
    riskProfile: riskAnswers('high'),
    bankAccounts: [{ bankCode: '008', accountNumber: accountNumber(), accountHolderName: name, isPrimary: true }],
  };
}

export async function submitIndividual(token: string, body = individualBody()) {
  const res = await crm().post('/crm/investors').set(bearer(token)).send(body);
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { investor: res.body as { id: string; status: string; agentId: number; companyId: number }, body };
}

/** A fresh company with a signed-in RM agent and admin of it. */
export async function crmCompany() {
  const company = await createCompany();
  const agent = await signIn({ companyId: company.id });
  const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
  return { company, agent, admin };
}

export const postInvestor = (token: string, body: object) => crm().post('/crm/investors').set(bearer(token)).send(body);
export const decideInvestors = (token: string, body: object) => crm().patch('/crm/investors').set(bearer(token)).send(body);
export const getInvestor = (token: string, id: string) => crm().get(`/crm/investors/${id}`).set(bearer(token));
export const revealPii = (token: string, id: string) => crm().get(`/crm/investors/${id}/pii`).set(bearer(token));

export async function submitInstitutional(token: string, body = institutionalBody()) {
  const res = await postInvestor(token, body);
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { investor: res.body as { id: string; status: string; agentId: number; companyId: number }, body };
}

/** An individual investor the agent submitted and the admin approved. */
export async function approvedIndividual(agentToken: string, adminToken: string, body = individualBody()) {
  const { investor } = await submitIndividual(agentToken, body);
  const res = await decideInvestors(adminToken, { ids: [investor.id], decision: 'APPROVE' });
  if (res.status !== 200) throw new Error(`approve failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { investor: res.body.items[0] as { id: string; status: string; agentId: number; companyId: number }, body };
}

/** The field paths of a 400 problem body. */
export const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);

/** A read as the owner with the super-admin setting: the CRM tables are under FORCE'd RLS, even for the owner. */
export async function crmRows<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<R[]> {
  return asSuperAdmin(async (c) => (await c.query<R>(sql, values)).rows);
}
