// Minimal declarations for the xmpp.js packages that ship no types.
declare module '@xmpp/tcp' {
  export default function tcp(deps: { entity: unknown }): void;
}
declare module '@xmpp/tls' {
  export default function tls(deps: { entity: unknown }): void;
}
declare module '@xmpp/tls/lib/Socket.js' {
  import { EventEmitter } from 'node:events';
  export default class Socket extends EventEmitter {
    secure: boolean;
    connect(options: import('node:tls').ConnectionOptions): void;
  }
}
declare module '@xmpp/connection-tcp' {
  /** The TCP transport of xmpp.js's Connection (tls.ts's direct-TLS transport extends it). */
  export default class ConnectionTCP {
    socketParameters(service: string): unknown;
    Socket: unknown;
    NS: string;
  }
}
