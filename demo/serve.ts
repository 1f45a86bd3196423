/**
 * `npm start`: serves the demo page with Vite and prints the URL to open.
 * Later issues grow this into the backend plus the demo merchant site.
 */
import { createServer } from 'vite';
import { z } from 'zod';

const env = z
  .object({ PAYLIT_DEMO_PORT: z.coerce.number().int().min(0).max(65535).default(8788), HOST: z.string().default('127.0.0.1') })
  .safeParse(process.env);
if (!env.success) {
  console.error(`Bad environment: ${env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(1);
}
const server = await createServer({
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { host: env.data.HOST, port: env.data.PAYLIT_DEMO_PORT, strictPort: true },
  logLevel: 'warn',
});
await server.listen();
const address = server.httpServer?.address();
const port = typeof address === 'object' && address ? address.port : env.data.PAYLIT_DEMO_PORT;
console.log(`Paylit demo: http://${env.data.HOST}:${String(port)}/demo/`);
