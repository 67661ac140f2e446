import { bearer, type SignedInUser } from '../support/auth.js';
import { crm, individualBody, submitIndividual } from '../support/crm.js';

/** Company B's CRM rows for the isolation matrix, made through the API by B's agent and approved in SQL-free ways. */
export interface CrmRowsOfB {
  agentId: number;
  leadId: number;
  interestedLeadId: number;
  investorId: string;
  nik: string;
  investorName: string;
  documentId: string;
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
  return {
    agentId: agent.id,
    leadId: lead.body.id,
    interestedLeadId: interested.body.id,
    investorId: investor.id,
    nik: body.individual.nik,
    investorName: body.individual.fullName,
    documentId: doc.body.document.id,
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
    'GET /crm/investors/{id}/documents/{documentId}/download-url': [
      { method: 'get', url: `${investor}/documents/${b.documentId}/download-url`, expect: 404 },
    ],
  };
}
