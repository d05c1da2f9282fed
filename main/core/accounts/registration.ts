/**
 * XEP-0077 registration sessions: a stream opened before authentication
 * (TLS verified, never authenticated) asks a server for its sign-up form and
 * stays open, keyed by a random session id, until the form is submitted,
 * cancelled, or five minutes pass. On success the caller gets the new
 * address and password to add the account and sign it in.
 *
 * The wire format (legacy fields, data forms, CAPTCHA, errors) is in
 * xmpp/register.ts; this file only runs the sessions.
 */
import { randomBytes } from 'node:crypto';
import type { Element } from '@xmpp/xml';
import type { RegistrationForm } from '../../../preload/contract.ts';
import { CoreError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { openPreAuthStream, type PreAuthOptions } from '../xmpp/entity.ts';
import { parse } from '../xmpp/jid.ts';
import {
  buildBobRequest,
  buildRegistrationQuery,
  buildRegistrationSubmit,
  checkValues,
  NS_BOB,
  parseRegistrationForm,
  registrationError,
  visibleFields,
  withMedia,
  type RegistrationFormData,
} from '../xmpp/register.ts';
import { classifyConnectError } from './connect-errors.ts';
import { parseServerOverride, resolveEndpoints, serviceUri, type Endpoint, type SrvResolver } from './endpoint.ts';

/**
 * What a registration session needs of a stream opened before authentication
 * (entity.ts's PreAuthStream has it; tests substitute their own).
 */
export interface RegistrationStream {
  entity: {
    on(event: 'status', listener: (status: string) => void): unknown;
    removeListener(event: 'status', listener: (status: string) => void): unknown;
  };
  iq: {
    get(element: Element, to?: string, timeout?: number): Promise<Element | undefined>;
    set(element: Element, to?: string, timeout?: number): Promise<Element | undefined>;
  };
  close(): Promise<void>;
}

export type OpenRegistrationStream = (options: PreAuthOptions) => Promise<RegistrationStream>;

export interface RegistrationServiceOptions {
  log: Logger;
  /** Connection and per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** How long an unused form stays open (default 5 minutes). */
  sessionTtlMs?: number;
  /** At most this many open sessions; the oldest is closed to make room (default 8). */
  maxSessions?: number;
  resolveSrv?: SrvResolver;
  /** Opens the pre-authentication stream (default: entity.ts's openPreAuthStream). */
  openStream?: OpenRegistrationStream;
}

export interface Registered {
  /** The new account's bare JID. */
  jid: string;
  password: string;
  /** The server override the form was fetched with ("" for SRV lookup): sign in the same way. */
  server: string;
}

export interface RegistrationService {
  /** Opens a session with `domain`'s server (or `server`, "host[:port]") and returns its form. */
  fetchForm(domain: string, server?: string): Promise<RegistrationForm>;
  /** Sends the answers; on success the session ends and the new credentials come back. */
  submit(sessionId: string, values: Readonly<Record<string, string>>): Promise<Registered>;
  /** Ends a session without registering (unknown ids are fine). */
  cancel(sessionId: string): Promise<void>;
  /** Ends every session (core shutdown). */
  close(): Promise<void>;
}

interface Session {
  id: string;
  domain: string;
  server: string;
  stream: RegistrationStream;
  form: RegistrationFormData;
  timer?: ReturnType<typeof setTimeout>;
  busy: boolean;
  closed: boolean;
}

const MAX_MEDIA_FETCHES = 4;
const FINAL: ReadonlySet<string> = new Set(['stream-error', 'certificate-untrusted', 'certificate-changed']);
/** A username that also makes a valid bare JID (contract's BareJid): no spaces or JID/XML specials. */
const USERNAME = /^[^@/\s"&'<>:]+$/u;

export function createRegistrationService(options: RegistrationServiceOptions): RegistrationService {
  const { log } = options;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const ttl = options.sessionTtlMs ?? 5 * 60_000;
  const maxSessions = options.maxSessions ?? 8;
  const open: OpenRegistrationStream = options.openStream ?? openPreAuthStream;
  const sessions = new Map<string, Session>();

  const end = async (session: Session): Promise<void> => {
    clearTimeout(session.timer);
    if (sessions.get(session.id) === session) sessions.delete(session.id);
    if (session.closed) return;
    session.closed = true;
    await session.stream.close().catch((err: unknown) => {
      log.debug('register', `${session.domain}: closing the registration stream`, err);
    });
  };

  const arm = (session: Session): void => {
    clearTimeout(session.timer);
    session.timer = setTimeout(() => {
      log.info('register', `${session.domain}: registration form expired`);
      void end(session);
    }, ttl);
    session.timer.unref();
  };

  const connect = async (domain: string, server: string): Promise<RegistrationStream> => {
    let endpoints: Endpoint[];
    try {
      endpoints = server ? [parseServerOverride(server)] : await resolveEndpoints(domain, options.resolveSrv);
    } catch (err) {
      throw new CoreError('bad-request', err instanceof Error ? err.message : 'invalid server', { cause: err });
    }
    let failure: CoreError | undefined;
    for (const endpoint of endpoints) {
      try {
        log.info('register', `${domain}: connecting to ${serviceUri(endpoint)} to register`);
        return await open({ service: serviceUri(endpoint), domain, timeoutMs });
      } catch (err) {
        failure = err instanceof CoreError ? err : classifyConnectError(err, endpoint, domain);
        log.warn('register', `${domain}: ${failure.message}`, err);
        // The server answered (or its certificate is the problem): another host of the domain would not help.
        if (FINAL.has(failure.code)) break;
      }
    }
    throw failure ?? new CoreError('network', `Could not connect to ${domain}.`);
  };

  /** CAPTCHA images not carried in the answer: XEP-0231 asks the server for them. */
  const fetchMedia = async (stream: RegistrationStream, domain: string, form: RegistrationFormData) => {
    let result = form;
    for (const pending of form.pendingMedia.slice(0, MAX_MEDIA_FETCHES)) {
      try {
        const data = await stream.iq.get(buildBobRequest(pending.cid), domain, timeoutMs);
        if (data?.is('data', NS_BOB) && data.attrs['cid'] === pending.cid)
          result = withMedia(result, pending.var, data);
      } catch (err) {
        log.warn('register', `${domain}: could not fetch the CAPTCHA image`, err);
      }
    }
    return result;
  };

  return {
    async fetchForm(domainInput, serverInput) {
      const domain = domainInput.trim().toLowerCase().replace(/\.$/u, '');
      const parsed = parse(domain);
      if (!parsed || parsed.local || parsed.resource || domain.includes('@'))
        throw new CoreError('bad-request', 'Enter a server name such as example.org.');
      const server = (serverInput ?? '').trim();
      const stream = await connect(parsed.domain, server);
      const session: Session = {
        id: randomBytes(18).toString('base64url'),
        domain: parsed.domain,
        server,
        stream,
        form: { kind: 'legacy', fields: [], captcha: false, pendingMedia: [], registered: false },
        busy: false,
        closed: false,
      };
      const onStatus = (status: string) => {
        if (status === 'disconnect' || status === 'offline') {
          session.stream.entity.removeListener('status', onStatus);
          void end(session);
        }
      };
      stream.entity.on('status', onStatus);
      try {
        const answer = await stream.iq.get(buildRegistrationQuery(), parsed.domain, timeoutMs);
        const form = answer ? parseRegistrationForm(answer) : undefined;
        if (!form) throw new CoreError('not-allowed', `${parsed.domain} did not send a sign-up form.`);
        session.form = await fetchMedia(stream, parsed.domain, form);
        const fields = visibleFields(session.form);
        const has = (name: string) => session.form.fields.some((f) => f.var === name);
        if (!has('username') || !has('password')) {
          const where = form.url ? ` Sign up at ${form.url} instead.` : '';
          throw new CoreError('not-allowed', `${parsed.domain} does not take sign-ups from apps like Parley.${where}`);
        }
        // Room for this one: the oldest open session goes.
        const oldest = [...sessions.values()].slice(0, Math.max(0, sessions.size - maxSessions + 1));
        for (const s of oldest) void end(s);
        sessions.set(session.id, session);
        arm(session);
        log.info('register', `${parsed.domain}: sign-up form with ${String(fields.length)} fields`);
        return {
          sessionId: session.id,
          domain: parsed.domain,
          ...(session.form.instructions ? { instructions: session.form.instructions } : {}),
          fields,
        };
      } catch (err) {
        await end(session);
        throw registrationError(err, 'register');
      }
    },

    async submit(sessionId, values) {
      const session = sessions.get(sessionId);
      if (!session || session.closed)
        throw new CoreError('not-found', 'This sign-up form has expired or was closed. Start again.');
      if (session.busy) throw new CoreError('bad-request', 'This sign-up form is being sent already.');
      const problem = checkValues(session.form, values);
      if (problem) throw new CoreError('not-acceptable', problem);
      const username = (values['username'] ?? '').trim();
      const password = values['password'] ?? '';
      if (!USERNAME.test(username))
        throw new CoreError('not-acceptable', 'A username cannot contain spaces or any of @ / : " & \' < >.');
      const jid = parse(`${username}@${session.domain}`);
      if (!jid?.local) throw new CoreError('not-acceptable', 'That username is not valid.');
      if (password === '') throw new CoreError('not-acceptable', 'Choose a password.');
      session.busy = true;
      arm(session);
      try {
        await session.stream.iq.set(
          buildRegistrationSubmit(session.form, { ...values, username }),
          session.domain,
          timeoutMs,
        );
      } catch (err) {
        if (!sessions.has(session.id))
          throw new CoreError('network', 'The connection to the server was lost. Start again.');
        throw registrationError(err, 'register');
      } finally {
        session.busy = false;
      }
      log.info('register', `${session.domain}: registered ${jid.bare}`);
      await end(session);
      return { jid: jid.bare, password, server: session.server };
    },

    async cancel(sessionId) {
      const session = sessions.get(sessionId);
      if (session) await end(session);
    },

    async close() {
      await Promise.allSettled([...sessions.values()].map((s) => end(s)));
    },
  };
}
