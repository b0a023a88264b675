/**
 * Process entry: loadConfig → buildApp → warm engines → listen; graceful close on SIGINT/SIGTERM.
 * The only file that starts a listening process from the environment.
 */
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { VERSION } from './version.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await buildApp(config);
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    {
      version: VERSION,
      credentials: config.credentials.map((c) => ({ secretId: c.secretId, secretKey: c.secretKey })),
      signature: config.signature,
      barcodeEngine: config.barcodeEngine,
    },
    `tencentcloud-ocr-emulator ${VERSION} listening; endpoint for the SDKs: ${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`,
  );
  await app.engines.warm();
  app.log.info('engines warm: ready');
}

await main();
