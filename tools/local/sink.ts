import { randomUUID } from 'node:crypto';

/**
 * Every SMS, email and push the local runtime delivers ends up here instead of reaching a real person, so
 * developers (the /_dev pages) and end-to-end tests can read one-time codes and links.
 */
export type SinkChannel = 'EMAIL' | 'SMS' | 'PUSH';

export interface SinkMessage {
  id: string;
  channel: SinkChannel;
  to: string;
  subject?: string;
  text: string;
  html?: string;
  links: string[];
  /** Emails only: every header as sent (lower-case names), so tests and people can check them. */
  headers?: Record<string, string>;
  sentAt: string;
}

export interface NewSinkMessage {
  channel: SinkChannel;
  to: string;
  subject?: string;
  text: string;
  html?: string;
  /** Extracted from text and html when not given. */
  links?: string[];
  headers?: Record<string, string>;
  /** Now when not given. */
  sentAt?: string;
}

export interface SinkFilter {
  /** Email addresses compare case-insensitively; phones and push targets exactly. */
  to?: string;
  /** Only messages sent at or after this time. */
  since?: Date;
}

export const defaultSinkCapacity = 1000;

interface StoredMessage {
  message: SinkMessage;
  sentAtMs: number;
  /** Insertion order, so messages sent in the same millisecond still list newest first. */
  seq: number;
}

export class MessageSink {
  private readonly stored: StoredMessage[] = [];
  private readonly listeners = new Set<(m: SinkMessage) => void>();
  private seq = 0;

  /** Called for every message as it arrives (the latency bench times deliveries with it). */
  onMessage(listener: (m: SinkMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  constructor(private readonly capacity = defaultSinkCapacity) {}

  add(input: NewSinkMessage): SinkMessage {
    const sentAt = input.sentAt ? new Date(input.sentAt) : new Date();
    if (Number.isNaN(sentAt.getTime())) throw new RangeError(`Not a time: ${String(input.sentAt)}`);
    const message: SinkMessage = {
      id: randomUUID(),
      channel: input.channel,
      to: input.to,
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      text: input.text,
      ...(input.html !== undefined ? { html: input.html } : {}),
      ...(input.headers !== undefined ? { headers: { ...input.headers } } : {}),
      links: input.links ? [...input.links] : extractLinks(input.text, input.html),
      sentAt: sentAt.toISOString(),
    };
    this.stored.push({ message, sentAtMs: sentAt.getTime(), seq: this.seq++ });
    // The oldest inserted go first; a long-running local stack must not grow without bound.
    if (this.stored.length > this.capacity) this.stored.splice(0, this.stored.length - this.capacity);
    for (const listener of this.listeners) listener(message);
    return message;
  }

  /** Newest first. */
  list(filter: SinkFilter = {}): SinkMessage[] {
    const since = filter.since?.getTime();
    return this.stored
      .filter((s) => since === undefined || s.sentAtMs >= since)
      .filter((s) => filter.to === undefined || sameRecipient(s.message, filter.to))
      .sort((a, b) => b.sentAtMs - a.sentAtMs || b.seq - a.seq)
      .map((s) => s.message);
  }

  clear(): void {
    this.stored.length = 0;
  }

  get size(): number {
    return this.stored.length;
  }
}

function sameRecipient(message: SinkMessage, to: string): boolean {
  if (message.channel === 'EMAIL') return message.to.trim().toLowerCase() === to.trim().toLowerCase();
  return message.to === to.trim();
}

const urlPattern = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Sentence punctuation right after a URL in prose is almost never part of it.
const trailingPunctuation = /[.,;:!?)\]}]+$/;

/** http(s) URLs in the text, then in the HTML (entities such as &amp; decoded), de-duplicated, in order. */
export function extractLinks(text: string, html?: string): string[] {
  const found = [...matchUrls(text), ...(html ? matchUrls(html).map(decodeHtmlEntities) : [])];
  return [...new Set(found)];
}

function matchUrls(source: string): string[] {
  return [...source.matchAll(urlPattern)].map((m) => m[0].replace(trailingPunctuation, '')).filter((u) => u.length > 0);
}

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeHtmlEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}
