// The e-mail channel: a small SMTP client over node:net / node:tls (RFC 5321 with STARTTLS, RFC 3207,
// and AUTH PLAIN, RFC 4616), enough to hand one message to a relay. No dependency: sending plain
// text alerts needs none of a mail library's features, and the gateway's dependency list stays short.
// The password is read only when sent and never appears in an error (the server's reply to AUTH is not quoted).
import { randomUUID } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { GatewayError } from '../errors/failure.js';
import type { EmailChannel } from './config.js';
import type { Message } from './message.js';

interface Reply {
  code: number;
  lines: string[];
}

class Session {
  private buffer = '';
  private lines: string[] = [];
  private waiting: ((r: Reply | Error) => void) | undefined;
  private replies: (Reply | Error)[] = [];
  private detach: () => void = () => undefined;

  constructor(public socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  attach(socket: Socket | TLSSocket): void {
    this.detach();
    this.socket = socket;
    const onData = (chunk: Buffer) => this.read(chunk.toString('latin1'));
    const onError = (error: Error) => this.deliver(error);
    const onClose = () => this.deliver(new Error('the server closed the connection'));
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    this.detach = () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
  }

  private read(text: string): void {
    this.buffer += text;
    let at: number;
    while ((at = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, at).replace(/\r$/, '');
      this.buffer = this.buffer.slice(at + 1);
      this.lines.push(line);
      // '250-...' continues a reply; '250 ...' (or a bare code) ends it.
      if (/^\d{3}(?: |$)/.test(line)) {
        const lines = this.lines.splice(0);
        this.deliver({ code: Number(line.slice(0, 3)), lines: lines.map((l) => l.slice(4)) });
      }
    }
  }

  private deliver(r: Reply | Error): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w(r);
    else this.replies.push(r);
  }

  reply(): Promise<Reply> {
    const next = this.replies.shift();
    if (next) return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    return new Promise((resolve, reject) => {
      this.waiting = (r) => (r instanceof Error ? reject(r) : resolve(r));
    });
  }

  /** Sends a command and checks the reply's code; `shown` is what an error quotes of the command. */
  async command(line: string, expect: number[], shown = line): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.expect(expect, shown);
  }

  async expect(codes: number[], what: string): Promise<Reply> {
    const r = await this.reply();
    if (!codes.includes(r.code)) throw new SmtpRefused(what, r);
    return r;
  }

  close(): void {
    this.detach();
    this.socket.destroy();
  }
}

class SmtpRefused extends Error {
  constructor(readonly what: string, readonly r: Reply) {
    super(`${what}: the server answered ${r.code}${what.startsWith('AUTH') ? '' : ` ${r.lines.join(' ').slice(0, 200)}`}`);
  }
}

export async function sendMail(channel: EmailChannel, message: Message, options: { timeoutMs?: number; now?: Date } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const where = `SMTP server ${channel.host}:${channel.port}`;
  const tlsOptions = { servername: channel.host, rejectUnauthorized: channel.rejectUnauthorized ?? true };
  let session: Session | undefined;
  const timer = setTimeout(() => session?.socket.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    const socket = await opened(channel.security === 'tls' ? tlsConnect({ host: channel.host, port: channel.port, ...tlsOptions }) : netConnect({ host: channel.host, port: channel.port }), channel.security === 'tls');
    session = new Session(socket);
    await session.expect([220], 'greeting');
    const me = hostname() || 'localhost';
    let ehlo = await session.command(`EHLO ${me}`, [250]);
    const offers = (name: string) => ehlo.lines.some((l) => l.toUpperCase().split(/\s+/)[0] === name);
    if (channel.security === 'starttls') {
      if (offers('STARTTLS')) {
        await session.command('STARTTLS', [220]);
        const upgraded = await opened(tlsConnect({ socket: session.socket as Socket, ...tlsOptions }), true);
        session.attach(upgraded);
        ehlo = await session.command(`EHLO ${me}`, [250]);
      } else if (channel.username) {
        throw new Error('the server offers no STARTTLS, and the password is never sent in clear (set security: none to allow it)');
      }
    }
    if (channel.username) {
      const token = Buffer.from(`\u0000${channel.username}\u0000${channel.password?.() ?? ''}`, 'utf8').toString('base64');
      await session.command(`AUTH PLAIN ${token}`, [235], 'AUTH PLAIN (login)');
    }
    await session.command(`MAIL FROM:<${channel.from}>`, [250]);
    for (const to of channel.to) await session.command(`RCPT TO:<${to}>`, [250, 251]);
    await session.command('DATA', [354]);
    session.socket.write(compose(channel, message, options.now ?? new Date()));
    await session.expect([250], 'the message');
    await session.command('QUIT', [221]).catch(() => undefined);
  } catch (error) {
    throw new GatewayError('ALERT_SEND_FAILED', `e-mail through ${where}: ${(error as Error).message}`, { channel: 'email', host: channel.host, port: channel.port });
  } finally {
    clearTimeout(timer);
    session?.close();
  }
}

function opened<S extends Socket>(socket: S, secure: boolean): Promise<S> {
  return new Promise((resolve, reject) => {
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** The message as DATA sends it: headers, a base64 UTF-8 body (safe through any relay), the final dot. */
export function compose(channel: Pick<EmailChannel, 'from' | 'to'>, message: Message, now: Date): string {
  const body = Buffer.from(message.text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const domain = channel.from.split('@')[1] ?? 'localhost';
  return [
    `From: ${channel.from}`,
    `To: ${channel.to.join(', ')}`,
    `Subject: ${header(message.subject)}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomUUID()}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    body,
    '.',
    '',
  ].join('\r\n');
}

/** A header value in ASCII as it is, else as an RFC 2047 encoded word. */
function header(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}
