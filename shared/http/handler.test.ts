import { strict as assert } from 'node:assert';
import * as ff from '@google-cloud/functions-framework';
import supertest from 'supertest';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { createHttpFunction } from './handler.js';
import { defineRoute } from './route.js';
import { functionServer } from '../../test/support/http.js';

/** The private-route path of the pipeline: token lookup, verification, permission, body validation. */
const whoAmI = defineRoute({
  method: 'POST',
  path: '/test/things/{id}',
  operationId: 'testWhoAmI',
  summary: 'echo',
  tags: [],
  access: 'private',
  permission: 'things.write',
  params: z.strictObject({ id: z.coerce.number().int().positive() }),
  query: z.strictObject({}),
  body: z.strictObject({ name: z.string().min(1) }),
  response: { status: 200, description: 'ok' },
  handler: async ({ principal, params, body }) => ({ body: { userId: principal?.userId, id: params.id, name: body.name } }),
});

ff.http(
  'testPrivateHttp',
  createHttpFunction([whoAmI], {
    authenticate: async (token) => {
      if (token === 'writer') return { userId: 1, role: 'ADMIN', companyIds: [1], permissions: new Set(['things.write']) };
      if (token === 'reader') return { userId: 2, role: 'RM_AGENT', companyIds: [1], permissions: new Set(['things.read']) };
      throw new AppError('UNAUTHENTICATED', { detail: 'Token not valid' });
    },
  }),
);

const call = () => supertest(functionServer('testPrivateHttp'));

describe('HTTP pipeline on private routes', () => {
  it('refuses a request without a token with 401 and a Bearer challenge', async () => {
    const res = await call().post('/test/things/5').send({ name: 'x' }).expect(401);
    assert.equal(res.body.code, 'UNAUTHENTICATED');
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  it('refuses a token the verifier rejects', async () => {
    const res = await call().post('/test/things/5').set('Authorization', 'Bearer forged').send({ name: 'x' }).expect(401);
    assert.equal(res.body.code, 'UNAUTHENTICATED');
  });

  it('refuses a caller without the route’s permission with 403', async () => {
    const res = await call().post('/test/things/5').set('Authorization', 'Bearer reader').send({ name: 'x' }).expect(403);
    assert.equal(res.body.code, 'FORBIDDEN');
  });

  it('takes the token from X-Forwarded-Authorization behind the gateway, and validates params and body', async () => {
    const res = await call().post('/test/things/5').set('X-Forwarded-Authorization', 'Bearer writer').set('Authorization', 'Bearer gateway-identity').send({ name: 'x' }).expect(200);
    assert.deepEqual(res.body, { userId: 1, id: 5, name: 'x' });
    const bad = await call().post('/test/things/abc').set('Authorization', 'Bearer writer').send({ name: '', extra: 1 }).expect(400);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['body.extra', 'body.name', 'params.id']);
  });

  it('wants JSON bodies and a body where the route has one', async () => {
    const text = await call().post('/test/things/5').set('Authorization', 'Bearer writer').set('Content-Type', 'text/plain').send('name=x').expect(415);
    assert.equal(text.body.code, 'UNSUPPORTED_MEDIA_TYPE');
    const empty = await call().post('/test/things/5').set('Authorization', 'Bearer writer').expect(400);
    assert.equal(empty.body.code, 'VALIDATION_FAILED');
  });
});
