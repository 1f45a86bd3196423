import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestServer } from './harness.js';

/**
 * A client's idle keep-alive connection is not closed under it: the server keeps one open longer than a proxy's or a
 * client's own idle timeout (Node's default, 5 s, made a request that reused the connection just then fail with
 * ECONNRESET). Checked on a raw socket, two requests six seconds apart.
 */
describe.each(backends.slice(0, 1))('keep-alive on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({});
  });
  afterAll(async () => {
    await s.close();
  });

  it('a connection idle for six seconds still takes the next request', async () => {
    const { hostname, port } = new URL(s.url);
    const socket = connect(Number(port), hostname);
    let received = '';
    let closed = false;
    socket.on('data', (b: Buffer) => (received += b.toString()));
    socket.on('close', () => (closed = true));
    const ask = async () => {
      const before = received.length;
      socket.write(`GET /hosted/page.css HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: keep-alive\r\n\r\n`);
      for (let i = 0; i < 200 && !/HTTP\/1\.1 \d{3}/.test(received.slice(before)); i++) await new Promise((r) => setTimeout(r, 10));
      return received.slice(before).split(' ')[1];
    };
    try {
      expect(await ask()).toBe('200');
      await new Promise((r) => setTimeout(r, 6000));
      expect(closed).toBe(false);
      expect(await ask()).toBe('200');
    } finally {
      socket.destroy();
    }
  }, 15_000);
});
