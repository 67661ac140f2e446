import { strict as assert } from 'node:assert';
import { MessageSink, extractLinks } from './sink.js';

describe('local message sink', () => {
  it('lists newest first, including messages added in the same millisecond', () => {
    const sink = new MessageSink();
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'older', sentAt: '2024-05-01T10:00:00.000Z' });
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'newest', sentAt: '2024-05-01T12:00:00.000Z' });
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'middle', sentAt: '2024-05-01T11:00:00.000Z' });
    const a = sink.add({ channel: 'PUSH', to: 'user-1', text: 'first now' });
    const b = sink.add({ channel: 'PUSH', to: 'user-1', text: 'second now', sentAt: a.sentAt });
    assert.deepEqual(
      sink.list({}).map((m) => m.text),
      [b.text, a.text, 'newest', 'middle', 'older'],
    );
  });

  it('filters emails case-insensitively and phones exactly', () => {
    const sink = new MessageSink();
    sink.add({ channel: 'EMAIL', to: 'Budi@Example.com', subject: 'Hi', text: 'one' });
    sink.add({ channel: 'EMAIL', to: 'siti@example.com', subject: 'Hi', text: 'two' });
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'three' });
    sink.add({ channel: 'SMS', to: '+6281234567899', text: 'four' });
    assert.deepEqual(sink.list({ to: 'budi@EXAMPLE.com' }).map((m) => m.text), ['one']);
    assert.deepEqual(sink.list({ to: '+6281234567890' }).map((m) => m.text), ['three']);
    assert.deepEqual(sink.list({ to: '6281234567890' }), []);
    assert.deepEqual(sink.list({ to: 'nobody@example.com' }), []);
  });

  it('filters by since, inclusive', () => {
    const sink = new MessageSink();
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'before', sentAt: '2024-05-01T09:59:59.999Z' });
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'at', sentAt: '2024-05-01T10:00:00.000Z' });
    sink.add({ channel: 'SMS', to: '+6281234567890', text: 'after', sentAt: '2024-05-01T17:30:00.000+07:00' });
    const since = new Date('2024-05-01T10:00:00Z');
    assert.deepEqual(sink.list({ since }).map((m) => m.text), ['after', 'at']);
    assert.deepEqual(sink.list({ since: new Date('2024-05-01T10:30:00.001Z') }).map((m) => m.text), []);
    assert.deepEqual(sink.list({ since: new Date('2024-05-01T09:00:00Z') }).map((m) => m.text), ['after', 'at', 'before']);
    assert.equal(sink.list({ since: new Date('2024-05-01T10:00:00Z'), to: '+6281234567899' }).length, 0);
    // sentAt is stored normalised to UTC.
    assert.equal(sink.list({ to: '+6281234567890' }).find((m) => m.text === 'after')?.sentAt, '2024-05-01T10:30:00.000Z');
  });

  it('extracts http(s) links from text and html, de-duplicated and in order', () => {
    const sink = new MessageSink();
    const message = sink.add({
      channel: 'EMAIL',
      to: 'budi@example.com',
      text: 'Verify at https://app.example.com/verify?token=abc&x=1. Or see http://example.com/help, thanks. ftp://no',
      html: '<p><a href="https://app.example.com/verify?token=abc&amp;x=1">Verify</a> <a href=\'https://example.com/privacy\'>Privacy</a></p>',
    });
    assert.deepEqual(message.links, [
      'https://app.example.com/verify?token=abc&x=1',
      'http://example.com/help',
      'https://example.com/privacy',
    ]);
    assert.deepEqual(extractLinks('(see https://example.com/a)'), ['https://example.com/a']);
    assert.deepEqual(extractLinks('no links here'), []);
  });

  it('keeps links it is given instead of extracting them', () => {
    const sink = new MessageSink();
    const message = sink.add({ channel: 'PUSH', to: 'user-1', text: 'https://ignored.example.com', links: ['rmtools://deep'] });
    assert.deepEqual(message.links, ['rmtools://deep']);
  });

  it('keeps only the newest messages when full', () => {
    const sink = new MessageSink();
    for (let i = 0; i < 1005; i++) sink.add({ channel: 'SMS', to: '+6281234567890', text: `message ${i}` });
    assert.equal(sink.size, 1000);
    const listed = sink.list({});
    assert.equal(listed.length, 1000);
    assert.equal(listed[0]?.text, 'message 1004');
    assert.equal(listed.at(-1)?.text, 'message 5');

    const small = new MessageSink(2);
    for (const text of ['a', 'b', 'c']) small.add({ channel: 'SMS', to: '+6281234567890', text });
    assert.deepEqual(small.list().map((m) => m.text), ['c', 'b']);
  });

  it('omits absent subject and html, and clears', () => {
    const sink = new MessageSink();
    const message = sink.add({ channel: 'SMS', to: '+6281234567890', text: 'code 123456' });
    assert.deepEqual(Object.keys(message).sort(), ['channel', 'id', 'links', 'sentAt', 'text', 'to']);
    assert.throws(() => sink.add({ channel: 'SMS', to: '+6281234567890', text: 'x', sentAt: 'yesterday' }), RangeError);
    sink.clear();
    assert.equal(sink.list({}).length, 0);
  });
});
