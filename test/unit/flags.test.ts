import { describe, expect, it } from 'vitest';
import { FLAGS, nameFlag, parseArgs } from '../../src/cli/flags.js';

describe('parseArgs: flags generated from CONFIG_VARS', () => {
  it('every TCOCR_* variable has a flag; on/off settings are booleans', () => {
    expect(FLAGS.find((f) => f.variable === 'TCOCR_CLOCK_SKEW_SECONDS')?.flag).toBe('--clock-skew-seconds');
    expect(FLAGS.find((f) => f.variable === 'TCOCR_ADMIN')?.boolean).toBe(true);
    expect(FLAGS.find((f) => f.variable === 'TCOCR_PORT')?.boolean).toBe(false);
  });

  it('values: separate, inline, empty inline; the last one wins', () => {
    const args = parseArgs(['--port', '1', '--host=127.0.0.1', '--credentials=', '--port', '2']);
    expect(args.env).toEqual({ TCOCR_PORT: '2', TCOCR_HOST: '127.0.0.1', TCOCR_CREDENTIALS: '' });
    expect(args.setBy).toEqual({ TCOCR_PORT: '--port', TCOCR_HOST: '--host', TCOCR_CREDENTIALS: '--credentials' });
    expect(args.problems).toEqual([]);
  });

  it('on/off forms: --name, --no-name, --name=word, --name word (a true/false word only)', () => {
    expect(parseArgs(['--admin']).env).toEqual({ TCOCR_ADMIN: 'true' });
    expect(parseArgs(['--no-admin']).env).toEqual({ TCOCR_ADMIN: 'false' });
    expect(parseArgs(['--admin=off']).env).toEqual({ TCOCR_ADMIN: 'off' });
    expect(parseArgs(['--admin', 'No']).env).toEqual({ TCOCR_ADMIN: 'No' });
    const maybe = parseArgs(['--admin', 'maybe']);
    expect(maybe.env).toEqual({ TCOCR_ADMIN: 'true' });
    expect(maybe.problems).toEqual(['maybe: unexpected argument (see --help)']);
  });

  it('a value may start with one dash; a long option after a value-taking flag is read as an option', () => {
    expect(parseArgs(['--port', '-5']).env).toEqual({ TCOCR_PORT: '-5' });
    const args = parseArgs(['--port', '--host', 'x']);
    expect(args.problems).toEqual(['--port: needs a value (TCOCR_PORT)']);
    expect(args.env).toEqual({ TCOCR_HOST: 'x' });
  });

  it('problems: unknown options, negated value options, stray words, a missing last value', () => {
    expect(
      parseArgs([
        '--frobnicate=3',
        '--no-frob',
        '--no-port',
        '--no-admin=1',
        '-x',
        '--help=1',
        'extra',
        '--decoder-workers',
      ]).problems,
    ).toEqual([
      '--frobnicate: unknown option (see --help)',
      '--no-frob: unknown option (see --help)',
      '--no-port: unknown option (see --help)',
      '--no-admin: unknown option (see --help)',
      '-x: unknown option (see --help)',
      '--help: unknown option (see --help)',
      'extra: unexpected argument (see --help)',
      '--decoder-workers: needs a value (TCOCR_DECODER_WORKERS)',
    ]);
  });

  it('--help / -h and --version / -v', () => {
    expect(parseArgs(['-h'])).toMatchObject({ help: true, version: false });
    expect(parseArgs(['--help', '-v'])).toMatchObject({ help: true, version: true });
    expect(parseArgs(['--version'])).toMatchObject({ help: false, version: true });
  });

  it('nameFlag names the flag that set a variable', () => {
    const { setBy } = parseArgs(['--port=70000']);
    expect(nameFlag('TCOCR_PORT="70000": must be a whole number from 0 to 65535', setBy)).toBe(
      '--port (TCOCR_PORT)="70000": must be a whole number from 0 to 65535',
    );
    expect(nameFlag('TCOCR_HOST="": bad', setBy)).toBe('TCOCR_HOST="": bad');
  });
});
