import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import supertest from 'supertest';
import type { ProblemBody } from '../../shared/errors.js';
import { MessageSink, type SinkMessage } from './sink.js';
import { devRoutes } from './dev-routes.js';

// supertest types bodies as any; name what each route answers instead.
const items = (res: supertest.Response) => (res.body as { items: SinkMessage[] }).items;
const texts = (res: supertest.Response) => items(res).map((m) => m.text);
const problem = (res: supertest.Response) => res.body as ProblemBody;
const createdId = (res: supertest.Response) => (res.body as { id: string }).id;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('local /_dev routes', () => {
  let sink: MessageSink;
  let server: Server;
  const api = () => supertest(server);

  before(async () => {
    sink = new MessageSink();
    const handle = devRoutes(sink);
    server = createServer((req, res) => {
      void handle(req, res).then((handled) => {
        if (!handled) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not a dev route');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });

  beforeEach(() => {
    sink.clear();
  });

  function assertProblem(res: supertest.Response, status: number, code: string): void {
    assert.equal(res.status, status);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const body = problem(res);
    assert.equal(body.status, status);
    assert.equal(body.code, code);
    assert.equal(typeof body.type, 'string');
    assert.equal(typeof body.title, 'string');
    assert.equal(body.requestId, res.headers['x-request-id']);
  }

  it('leaves paths outside /_dev/ to the caller', async () => {
    const res = await api().get('/auth/login').expect(404);
    assert.equal(res.text, 'not a dev route');
    await api().get('//host/_dev/messages').expect(404);
  });

  it('GET /_dev/messages lists every channel newest first with request id and no-store', async () => {
    sink.add({ channel: 'EMAIL', to: 'budi@example.com', subject: 'Welcome', text: 'Hi https://a.example.com', html: '<p>Hi</p>', sentAt: '2024-05-01T10:00:00Z' });
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'Code 123456', sentAt: '2024-05-01T11:00:00Z' });
    const res = await api().get('/_dev/messages').expect(200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.match(String(res.headers['x-request-id']), uuid);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(items(res).length, 2);
    const [sms, email] = items(res);
    assert.ok(sms && email);
    assert.match(sms.id, uuid);
    assert.deepEqual({ ...sms, id: 'any' }, { id: 'any', channel: 'SMS', to: '+6281234567890', text: 'Code 123456', links: [], sentAt: '2024-05-01T11:00:00.000Z' });
    assert.equal(email.channel, 'EMAIL');
    assert.equal(email.subject, 'Welcome');
    assert.equal(email.html, '<p>Hi</p>');
    assert.deepEqual(email.links, ['https://a.example.com']);
  });

  it('filters by to and since', async () => {
    sink.add({ channel: 'EMAIL', to: 'Budi@Example.com', subject: 'Old', text: 'old', sentAt: '2024-05-01T10:00:00Z' });
    sink.add({ channel: 'EMAIL', to: 'budi@example.com', subject: 'New', text: 'new', sentAt: '2024-05-01T12:00:00Z' });
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'sms', sentAt: '2024-05-01T12:00:00Z' });
    const byTo = await api().get('/_dev/messages').query({ to: 'BUDI@example.com' }).expect(200);
    assert.deepEqual(texts(byTo), ['new', 'old']);
    const both = await api().get('/_dev/messages').query({ to: 'budi@example.com', since: '2024-05-01T18:00:00+07:00' }).expect(200);
    assert.deepEqual(texts(both), ['new']);
    const phone = await api().get('/_dev/messages').query({ to: '+6281234567890' }).expect(200);
    assert.deepEqual(texts(phone), ['sms']);
  });

  it('refuses a since that is not an ISO time', async () => {
    for (const since of ['yesterday', '2024-13-01T00:00:00Z', '1714557600']) {
      const res = await api().get('/_dev/messages').query({ since });
      assertProblem(res, 400, 'VALIDATION_FAILED');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(problem(res).errors?.[0]?.field, 'query.since');
    }
  });

  it('POST /_dev/sink/sms stores an SMS that /_dev/messages then shows', async () => {
    const res = await api().post('/_dev/sink/sms').send({ to: '+6281234567890', text: 'Your code is 482913' }).expect(202);
    assert.match(createdId(res), uuid);
    const listed = await api().get('/_dev/messages').query({ to: '+6281234567890' }).expect(200);
    const [item, ...rest] = items(listed);
    assert.equal(rest.length, 0);
    assert.ok(item);
    assert.equal(item.id, createdId(res));
    assert.equal(item.channel, 'SMS');
    assert.equal(item.text, 'Your code is 482913');
    assert.equal(item.subject, undefined);
  });

  it('POST /_dev/sink/push stores a PUSH with title as subject and body as text', async () => {
    const push = { to: 'user-42', title: 'New lead', body: 'Budi wants a call', data: { link: 'https://app.rmtools.test/leads/7' } };
    const res = await api().post('/_dev/sink/push').send(push).expect(202);
    const listed = await api().get('/_dev/messages').query({ to: 'user-42' }).expect(200);
    const [item] = items(listed);
    assert.ok(item);
    assert.equal(item.id, createdId(res));
    assert.equal(item.channel, 'PUSH');
    assert.equal(item.subject, 'New lead');
    assert.equal(item.text, 'Budi wants a call');
    assert.deepEqual(item.links, ['https://app.rmtools.test/leads/7']);
  });

  it('refuses unknown fields, bad values and bad JSON with 400', async () => {
    const unknown = await api().post('/_dev/sink/sms').send({ to: '+6281234567890', text: 'x', from: 'me' });
    assertProblem(unknown, 400, 'VALIDATION_FAILED');
    assert.ok(problem(unknown).errors?.some((e) => /from/.test(e.message)));
    assertProblem(await api().post('/_dev/sink/sms').send({ to: '081234567890', text: 'x' }), 400, 'VALIDATION_FAILED');
    assertProblem(await api().post('/_dev/sink/push').send({ to: 'u', title: 't', body: 'b', extra: 1 }), 400, 'VALIDATION_FAILED');
    assertProblem(await api().post('/_dev/sink/push').send({ to: 'u', title: 't', body: 'b', data: { n: 1 } }), 400, 'VALIDATION_FAILED');
    const badJson = await api().post('/_dev/sink/sms').set('Content-Type', 'application/json').send('{"to": "+62');
    assertProblem(badJson, 400, 'MALFORMED_JSON');
    assertProblem(await api().post('/_dev/sink/sms').set('Content-Type', 'text/plain').send('hi'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(sink.list({}).length, 0);
  });

  it('refuses a body over 64 KB with 413', async () => {
    const res = await api().post('/_dev/sink/sms').send({ to: '+6281234567890', text: 'x'.repeat(70 * 1024) });
    assertProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    assert.equal(sink.list({}).length, 0);
  });

  it('answers 405 with Allow for a wrong method and 404 for an unknown /_dev/ path', async () => {
    const post = await api().post('/_dev/messages').send({});
    assertProblem(post, 405, 'METHOD_NOT_ALLOWED');
    assert.equal(post.headers.allow, 'GET, HEAD');
    const get = await api().get('/_dev/sink/sms');
    assertProblem(get, 405, 'METHOD_NOT_ALLOWED');
    assert.equal(get.headers.allow, 'POST');
    assertProblem(await api().delete('/_dev/mail'), 405, 'METHOD_NOT_ALLOWED');
    assertProblem(await api().get('/_dev/nothing-here'), 404, 'ROUTE_NOT_FOUND');
  });

  it('GET /_dev/mail renders an escaped, script-free page under a strict CSP', async () => {
    sink.add({
      channel: 'EMAIL',
      to: 'budi@example.com',
      subject: '<script>alert("x")</script> Welcome',
      text: 'Verify: https://app.rmtools.test/verify?token=a&b=1',
      html: '<p onclick="evil()">Hi "Budi" & co</p>',
    });
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'Code 111222' });
    const res = await api().get('/_dev/mail').expect(200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    const page = res.text;
    assert.ok(page.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Welcome'));
    assert.ok(!page.includes('<script'));
    assert.ok(page.includes('<meta http-equiv="refresh" content="5">'));
    assert.ok(page.includes('srcdoc="&lt;p onclick=&quot;evil()&quot;&gt;Hi &quot;Budi&quot; &amp; co&lt;/p&gt;"'));
    assert.match(page, /<iframe sandbox srcdoc=/);
    assert.ok(page.includes('href="https://app.rmtools.test/verify?token=a&amp;b=1"'));
    assert.ok(page.indexOf('Code 111222') < page.indexOf('Welcome'), 'newest first');
  });

  it('GET /_dev/mail filters by to and can stop reloading', async () => {
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'mine' });
    sink.add({ channel: 'SMS', to: '+6281234567899', text: 'theirs' });
    const res = await api().get('/_dev/mail').query({ to: '+6281234567890', refresh: 'off' }).expect(200);
    assert.ok(res.text.includes('mine'));
    assert.ok(!res.text.includes('theirs'));
    assert.ok(!res.text.includes('http-equiv="refresh"'));
    const empty = await api().get('/_dev/mail').query({ to: '' }).expect(200);
    assert.ok(empty.text.includes('theirs'));
  });
});
