// The image's HEALTHCHECK (slim images have no curl): exit 0 when the emulator listening on
// TCOCR_PORT answers GET /_emulator/ready with 200 {"ready":true}, i.e. once its engines are warm
// (/_emulator/health answers 200 as soon as the port is open, while the engines still load). With
// the control plane off (TCOCR_ADMIN=false) any HTTP answer counts.
const port = process.env.TCOCR_PORT || '9000';
const adminOff = /^(0|false|no|off)$/i.test(process.env.TCOCR_ADMIN ?? '');
try {
  const response = await fetch(`http://127.0.0.1:${port}/_emulator/ready`, { signal: AbortSignal.timeout(4000) });
  const body = adminOff ? {} : await response.json();
  process.exit(adminOff || (response.status === 200 && body.ready === true) ? 0 : 1);
} catch {
  process.exit(1);
}
