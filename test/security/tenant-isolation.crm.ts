import { bearer, signIn, type SignedInUser } from '../support/auth.js';
import { crm, decideInvestors, individualBody, submitIndividual } from '../support/crm.js';
import { decideThroughLink, newLink } from '../support/instruction-links.js';

/**
 * Company B's CRM rows for the isolation matrix, made through the API by B's (licensed) agent and admin, and
 * B's investor (the decided instruction, through a signature link of its own).
 */
export interface CrmRowsOfB {
  agentId: number;
  leadId: number;
  interestedLeadId: number;
  investorId: string;
  nik: string;
  investorName: string;
  documentId: string;
  /** An approved investor of B with a pending instruction. */
  approvedInvestorId: string;
  instructionId: string;
  /** An instruction B's investor rejected from its link: it has signing evidence. */
  decidedInstructionId: string;
  bankAccountId: number;
}

export async function crmRowsOfB(agent: SignedInUser): Promise<CrmRowsOfB> {
  const token = bearer(agent.accessToken);
  const lead = await crm().post('/crm/leads').set(token).send({ fullname: 'Lead Of Company B', phone: '+6281211112222' }).expect(201);
  const interested = await crm().post('/crm/leads').set(token).send({ fullname: 'Interested Lead Of B' }).expect(201);
  await crm().put(`/crm/leads/${interested.body.id}`).set(token).send({ status: 'CONTACTED' }).expect(200);
  await crm().put(`/crm/leads/${interested.body.id}`).set(token).send({ status: 'INTERESTED' }).expect(200);
  const body = individualBody({ fullName: 'Investor Only In Company B' });
  const { investor } = await submitIndividual(agent.accessToken, body);
  const doc = await crm().post(`/crm/investors/${investor.id}/documents`).set(token).send({ kind: 'KTP', contentType: 'image/jpeg', size: 2048 }).expect(201);
  const admin = await signIn({ companyId: agent.companyId, role: 'ADMIN' });
  const submitted = (await submitIndividual(agent.accessToken)).investor;
  const approved = (await decideInvestors(admin.accessToken, { ids: [submitted.id], decision: 'APPROVE' }).expect(200)).body.items[0];
  const instruction = await crm()
    .post('/crm/instructions')
    .set(token)
    .send({ investorId: approved.id, type: 'SUBSCRIPTION', productCode: 'MMF-KAS', amount: '1500000' })
    .expect(201);
  const decided = await crm()
    .post('/crm/instructions')
    .set(token)
    .send({ investorId: approved.id, type: 'SUBSCRIPTION', productCode: 'MMF-KAS', amount: '2000000' })
    .expect(201);
  await decideThroughLink(await newLink(agent.companyId, 'instruction', decided.body.id as string), 'REJECT');
  return {
    agentId: agent.id,
    leadId: lead.body.id,
    interestedLeadId: interested.body.id,
    investorId: investor.id,
    nik: body.individual.nik,
    investorName: body.individual.fullName,
    documentId: doc.body.document.id,
    approvedInvestorId: approved.id,
    instructionId: instruction.body.id,
    decidedInstructionId: decided.body.id,
    bankAccountId: approved.bankAccounts[0]!.id,
  };
}

type Case = { method: 'get' | 'post' | 'put' | 'patch' | 'delete'; url: string; body?: object; expect: 404 | 'empty'; as?: 'agent' };

/** Every CRM route with B's ids: as B's rows do not exist for A. */
export function crmCases(b: CrmRowsOfB): Record<string, Case[]> {
  const lead = `/crm/leads/${b.leadId}`;
  const investor = `/crm/investors/${b.investorId}`;
  return {
    'GET /crm/leads': [
      { method: 'get', url: `/crm/leads?ownerId=${b.agentId}`, expect: 'empty' },
      { method: 'get', url: `/crm/leads?q=${encodeURIComponent('Lead Of Company B')}`, expect: 'empty' },
    ],
    'POST /crm/leads': [{ method: 'post', url: '/crm/leads', body: { fullname: 'Planted Lead', ownerId: b.agentId }, expect: 404 }],
    'GET /crm/leads/{id}': [{ method: 'get', url: lead, expect: 404 }],
    'PUT /crm/leads/{id}': [
      { method: 'put', url: lead, body: { notes: 'seen from A' }, expect: 404 },
      { method: 'put', url: `/crm/leads/${b.interestedLeadId}`, body: { status: 'LOST' }, expect: 404 },
    ],
    'DELETE /crm/leads/{id}': [{ method: 'delete', url: lead, expect: 404 }],
    'POST /crm/leads/{id}/convert': [{ method: 'post', url: `/crm/leads/${b.interestedLeadId}/convert`, expect: 404 }],
    'GET /crm/investors': [
      { method: 'get', url: `/crm/investors?agentId=${b.agentId}`, expect: 'empty' },
      { method: 'get', url: `/crm/investors?q=${b.nik}`, expect: 'empty' },
      { method: 'get', url: `/crm/investors?q=${encodeURIComponent(b.investorName)}`, expect: 'empty' },
    ],
    'POST /crm/investors': [
      { method: 'post', url: '/crm/investors', body: individualBody({ leadId: b.interestedLeadId }), expect: 404, as: 'agent' },
    ],
    'GET /crm/investors/{id}': [{ method: 'get', url: investor, expect: 404 }],
    'GET /crm/investors/{id}/portfolio': [
      { method: 'get', url: `${investor}/portfolio`, expect: 404 },
      { method: 'get', url: `${investor}/portfolio`, expect: 404, as: 'agent' },
    ],
    'PATCH /crm/investors': [
      { method: 'patch', url: '/crm/investors', body: { ids: [b.investorId], decision: 'APPROVE' }, expect: 404 },
      { method: 'patch', url: '/crm/investors', body: { ids: [b.investorId], decision: 'REJECT', reason: 'not ours' }, expect: 404 },
    ],
    'GET /crm/investors/{id}/pii': [{ method: 'get', url: `${investor}/pii`, expect: 404 }],
    'PUT /crm/investor/{id}/externalId': [{ method: 'put', url: `/crm/investor/${b.investorId}/externalId`, body: { externalId: 'BIB-FROM-A' }, expect: 404 }],
    'POST /crm/investor/sync-bib': [{ method: 'post', url: '/crm/investor/sync-bib', body: { investorIds: [b.investorId] }, expect: 404 }],
    'POST /crm/investors/{id}/documents': [
      { method: 'post', url: `${investor}/documents`, body: { kind: 'SELFIE', contentType: 'image/png', size: 100 }, expect: 404, as: 'agent' },
    ],
    'GET /crm/investors/{id}/documents': [{ method: 'get', url: `${investor}/documents`, expect: 404 }],
    'POST /crm/investors/{id}/remote-registration': [{ method: 'post', url: `${investor}/remote-registration`, expect: 404, as: 'agent' }],
    'GET /crm/investors/{id}/documents/{documentId}/download-url': [
      { method: 'get', url: `${investor}/documents/${b.documentId}/download-url`, expect: 404 },
    ],
    'GET /crm/instructions': [
      { method: 'get', url: `/crm/instructions?investorId=${b.approvedInvestorId}`, expect: 'empty' },
      { method: 'get', url: '/crm/instructions?status=PENDING_SIGNATURE', expect: 'empty' },
    ],
    'POST /crm/instructions': [
      { method: 'post', url: '/crm/instructions', body: { investorId: b.approvedInvestorId, type: 'SUBSCRIPTION', productCode: 'MMF-KAS', amount: '1500000' }, expect: 404, as: 'agent' },
      {
        method: 'post',
        url: '/crm/instructions',
        body: { investorId: b.approvedInvestorId, type: 'REDEMPTION', productCode: 'MMF-KAS', units: '10', bankAccountId: b.bankAccountId },
        expect: 404,
        as: 'agent',
      },
    ],
    'GET /crm/instructions/{id}': [{ method: 'get', url: `/crm/instructions/${b.instructionId}`, expect: 404 }],
    'POST /crm/instructions/{id}/cancel': [
      { method: 'post', url: `/crm/instructions/${b.instructionId}/cancel`, body: { reason: 'seen from A' }, expect: 404 },
      { method: 'post', url: `/crm/instructions/${b.instructionId}/cancel`, expect: 404, as: 'agent' },
    ],
    'GET /crm/instructions/{id}/signature': [
      { method: 'get', url: `/crm/instructions/${b.decidedInstructionId}/signature`, expect: 404 },
      { method: 'get', url: `/crm/instructions/${b.decidedInstructionId}/signature`, expect: 404, as: 'agent' },
    ],
    'POST /crm/instructions/{id}/resend-link': [
      { method: 'post', url: `/crm/instructions/${b.instructionId}/resend-link`, expect: 404 },
      { method: 'post', url: `/crm/instructions/${b.instructionId}/resend-link`, expect: 404, as: 'agent' },
    ],
  };
}
