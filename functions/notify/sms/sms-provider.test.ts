import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { PermanentFailure } from '../../../shared/events/consumer.js';
import { InfobipSms } from './sms-provider.js';

/** The Infobip adapter against a stubbed fetch: the request it makes and how it reads the answers. */
describe('Infobip SMS adapter', () => {
  let fetchStub: sinon.SinonStub;
  const sms = new InfobipSms('https://xyz.api.infobip.com', async () => 'secret-key', 'RMTools');
  beforeEach(() => {
    fetchStub = sinon.stub(globalThis, 'fetch');
  });
  afterEach(() => fetchStub.restore());

  const answer = (status: number, body: unknown) => fetchStub.resolves(new Response(JSON.stringify(body), { status }));

  it('posts one message with the API key and returns the provider id', async () => {
    answer(200, { messages: [{ messageId: 'ib-1', status: { groupName: 'PENDING' } }] });
    assert.deepEqual(await sms.send('+6281234567890', 'kode 123456'), { id: 'ib-1' });
    const [url, init] = fetchStub.firstCall.args as [string, RequestInit];
    assert.equal(url, 'https://xyz.api.infobip.com/sms/2/text/advanced');
    assert.equal((init.headers as Record<string, string>).authorization, 'App secret-key');
    assert.deepEqual(JSON.parse(String(init.body)), { messages: [{ destinations: [{ to: '6281234567890' }], from: 'RMTools', text: 'kode 123456' }] });
  });

  const cases: Array<[string, number, unknown, 'permanent' | 'transient']> = [
    ['a 400', 400, { requestError: { serviceException: { text: 'Invalid destination' } } }, 'permanent'],
    ['a 401 (our key is wrong: fix and let it retry)', 401, {}, 'transient'],
    ['a 429', 429, {}, 'transient'],
    ['a 500', 500, {}, 'transient'],
    ['a 503', 503, {}, 'transient'],
    ['a rejected message', 200, { messages: [{ messageId: 'x', status: { groupName: 'REJECTED', description: 'Destination not registered' } }] }, 'permanent'],
  ];
  for (const [name, status, body, kind] of cases) {
    it(`treats ${name} as ${kind}`, async () => {
      answer(status, body);
      await assert.rejects(sms.send('+6281234567890', 'x'), (err: unknown) => (err instanceof PermanentFailure) === (kind === 'permanent'));
    });
  }

  it('treats a network failure as transient', async () => {
    fetchStub.rejects(new TypeError('fetch failed'));
    await assert.rejects(sms.send('+6281234567890', 'x'), (err: unknown) => !(err instanceof PermanentFailure));
  });
});
