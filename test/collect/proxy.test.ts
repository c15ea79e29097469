import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { crawlInto, memoryStore, siteFor, storedPosts, truthPosts, withSim } from './helpers.js';

/** A minimal HTTP CONNECT proxy that records what it was asked to reach. */
async function startConnectProxy(): Promise<{ port: number; targets: string[]; close: () => Promise<void> }> {
  const targets: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    targets.push(req.url ?? '');
    const [host = '', port = '80'] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

test('a site can be crawled through an HTTP proxy (CONNECT tunnel)', async () => {
  const proxy = await startConnectProxy();
  try {
    await withSim({ forums: ['discourse'] }, async (sim) => {
      const store = await memoryStore();
      try {
        const forum = sim.forums[0]!;
        const summary = await crawlInto(store, { ...siteFor(sim, forum.slug), network: { proxy: `http://127.0.0.1:${proxy.port}`, allowPrivateAddresses: false } });
        assert.equal(summary.stoppedBy, 'complete');
        assert.equal((await storedPosts(store, forum.slug)).length, truthPosts(sim.groundTruth(), forum.slug).length);
        const origin = new URL(forum.url).host;
        assert.ok(proxy.targets.length > 0 && proxy.targets.every((t) => t === origin), JSON.stringify(proxy.targets.slice(0, 3)));
      } finally {
        await store.close();
      }
    });
  } finally {
    await proxy.close();
  }
});
