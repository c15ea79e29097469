import net from 'node:net';

/**
 * A minimal SOCKS5 server (RFC 1928, CONNECT, no authentication) standing in for Tor's SOCKS
 * port. It resolves only the names it was given (the simulator's .onion hosts) and refuses
 * everything else, and it records how each destination was addressed, so a test can prove the
 * client sent a hostname (remote DNS, socks5h) and never resolved it locally.
 */
export interface SocksRequestLog {
  readonly addressType: 'ipv4' | 'domain' | 'ipv6';
  readonly host: string;
  readonly port: number;
  readonly accepted: boolean;
}

export interface SocksServer {
  readonly port: number;
  readonly log: SocksRequestLog[];
  close(): Promise<void>;
}

export async function startSocksServer(options: {
  readonly port?: number;
  /** host name → local port to connect to */
  readonly routes: ReadonlyMap<string, number>;
}): Promise<SocksServer> {
  const log: SocksRequestLog[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buffer = Buffer.alloc(0);
    let stage: 'greeting' | 'request' | 'piping' = 'greeting';
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > 1024) return void client.destroy();
      if (stage === 'greeting') {
        if (buffer.length < 2) return;
        const n = buffer[1]!;
        if (buffer.length < 2 + n) return;
        if (buffer[0] !== 5) return void client.destroy();
        const methods = buffer.subarray(2, 2 + n);
        buffer = buffer.subarray(2 + n);
        if (!methods.includes(0)) {
          client.end(Buffer.from([5, 0xff]));
          return;
        }
        client.write(Buffer.from([5, 0]));
        stage = 'request';
      }
      if (stage === 'request') {
        if (buffer.length < 5) return;
        const atyp = buffer[3]!;
        let host: string;
        let offset: number;
        let addressType: SocksRequestLog['addressType'];
        if (atyp === 1) {
          if (buffer.length < 10) return;
          host = [...buffer.subarray(4, 8)].join('.');
          offset = 8;
          addressType = 'ipv4';
        } else if (atyp === 3) {
          const len = buffer[4]!;
          if (buffer.length < 5 + len + 2) return;
          host = buffer.subarray(5, 5 + len).toString('latin1');
          offset = 5 + len;
          addressType = 'domain';
        } else if (atyp === 4) {
          if (buffer.length < 22) return;
          host = buffer.subarray(4, 20).toString('hex');
          offset = 20;
          addressType = 'ipv6';
        } else {
          return void client.destroy();
        }
        const port = buffer.readUInt16BE(offset);
        const rest = buffer.subarray(offset + 2);
        const target = buffer[1] === 1 ? options.routes.get(host.toLowerCase()) : undefined;
        log.push({ addressType, host, port, accepted: target !== undefined });
        if (target === undefined) {
          // 0x04 host unreachable: what Tor answers for names it cannot resolve.
          client.end(Buffer.from([5, 4, 0, 1, 0, 0, 0, 0, 0, 0]));
          return;
        }
        stage = 'piping';
        client.off('data', onData);
        const upstream = net.connect(target, '127.0.0.1', () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, (target >> 8) & 0xff, target & 0xff]));
          if (rest.length > 0) upstream.write(rest);
          client.pipe(upstream);
          upstream.pipe(client);
        });
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('socks: no address');
  return {
    port: address.port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
