/**
 * The examples for clients whose registries the test machines cannot reach (Python, Go, Java,
 * tccli), read and held to PROTOCOL.md §7: the endpoint is host:port with plain HTTP chosen the
 * way each SDK wants it. The Node program and the curl script also run, in
 * test/sdk/library-mode.test.ts; the CI files are parsed and checked for the same settings.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(`${ROOT}${file}`, 'utf8');

const PROGRAMS = {
  node: 'examples/node/qrcode-ocr.mjs',
  python: 'examples/python/qrcode_ocr.py',
  go: 'examples/go/main.go',
  java: 'examples/java/src/main/java/example/QrcodeOcr.java',
  tccli: 'examples/tccli/qrcode-ocr.sh',
  curl: 'examples/curl/qrcode-ocr.sh',
} as const;

describe('every example', () => {
  it.each(Object.entries(PROGRAMS))(
    '%s: reads TCOCR_ENDPOINT (default 127.0.0.1:9000) and the built-in key, shows AuthFailure.SignatureFailure',
    (_name, file) => {
      const text = read(file);
      expect(text).toContain('TCOCR_ENDPOINT');
      expect(text).toContain('127.0.0.1:9000');
      expect(text).toContain(DEFAULT_SECRET_ID);
      expect(text).toContain(DEFAULT_SECRET_KEY);
      expect(text).toContain('AuthFailure.SignatureFailure');
      expect(text).toMatch(/images\W+qr\.png/);
      // No scheme in the endpoint value itself: each SDK takes the scheme separately (tccli aside).
      expect(text).not.toMatch(/TCOCR_ENDPOINT[^\n]*"https?:\/\//);
    },
  );

  it('share the sample image, a PNG', () => {
    const png = readFileSync(`${ROOT}examples/images/qr.png`);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('shell scripts are executable and strict', () => {
    for (const file of [PROGRAMS.tccli, PROGRAMS.curl]) {
      expect(statSync(`${ROOT}${file}`).mode & 0o111).not.toBe(0);
      expect(read(file)).toMatch(/^#!\/usr\/bin\/env bash\n/);
      expect(read(file)).toContain('set -euo pipefail');
    }
  });
});

describe('PROTOCOL.md §7 settings per client', () => {
  it('Node (§7.1): httpProfile protocol "http://" and endpoint host:port; typed method and generic request', () => {
    const text = read(PROGRAMS.node);
    expect(text).toMatch(/protocol: "http:\/\/"/);
    expect(text).toMatch(/httpProfile: \{[^}]*\bendpoint\b/);
    expect(text).toContain('from "tencentcloud-sdk-nodejs"');
    expect(text).toContain('.QrcodeOCR(');
    expect(text).toContain('.request("QrcodeOCR"');
    expect(text).toContain('err.code');
    expect(text).toContain('delete process.env.http_proxy');
    expect(JSON.parse(read('examples/node/package.json')).dependencies).toHaveProperty('tencentcloud-sdk-nodejs');
  });

  it('Python (§7.2): HttpProfile(protocol="http", endpoint=...)', () => {
    const text = read(PROGRAMS.python);
    expect(text).toMatch(/HttpProfile\(protocol="http", endpoint=ENDPOINT\b/);
    expect(text).toMatch(/ENDPOINT = os\.environ\.get\("TCOCR_ENDPOINT", "127\.0\.0\.1:9000"\)/);
    expect(text).toContain('from tencentcloud.ocr.v20181119 import models, ocr_client');
    expect(text).toContain('ocr_client.OcrClient(');
    expect(text).toContain('except TencentCloudSDKException as err');
    expect(text).toContain('err.get_code()');
    expect(read('examples/python/requirements.txt')).toMatch(/^tencentcloud-sdk-python/m);
  });

  it('Go (§7.4): HttpProfile.Scheme = "HTTP" and HttpProfile.Endpoint', () => {
    const text = read(PROGRAMS.go);
    expect(text).toMatch(/cpf\.HttpProfile\.Scheme = "HTTP"/);
    expect(text).toMatch(/cpf\.HttpProfile\.Endpoint = endpoint\b/);
    expect(text).toMatch(/endpoint += env\("TCOCR_ENDPOINT", "127\.0\.0\.1:9000"\)/);
    expect(text).toContain('ocr.NewClient(');
    expect(text).toContain('*tcerr.TencentCloudSDKError');
    expect(read('examples/go/go.mod')).toMatch(/github\.com\/tencentcloud\/tencentcloud-sdk-go\/tencentcloud\/ocr v\d/);
  });

  it('Java: HttpProfile setProtocol("http://") and setEndpoint', () => {
    const text = read(PROGRAMS.java);
    expect(text).toContain('httpProfile.setProtocol("http://")');
    expect(text).toContain('httpProfile.setEndpoint(ENDPOINT)');
    expect(text).toMatch(/ENDPOINT = env\("TCOCR_ENDPOINT", "127\.0\.0\.1:9000"\)/);
    expect(text).toContain('new OcrClient(');
    expect(text).toContain('catch (TencentCloudSDKException err)');
    expect(text).toContain('err.getErrorCode()');
    // The SDK's model classes, as published in TencentCloud/tencentcloud-sdk-java
    // (QrcodeOCRResponse.getCodeResults() returns QrcodeResultsInfo[]; there is no CodeResult).
    const imports = [...text.matchAll(/^import (com\.tencentcloudapi\.[\w.]+);$/gm)].map((m) => m[1]);
    expect(imports.sort()).toEqual([
      'com.tencentcloudapi.common.Credential',
      'com.tencentcloudapi.common.exception.TencentCloudSDKException',
      'com.tencentcloudapi.common.profile.ClientProfile',
      'com.tencentcloudapi.common.profile.HttpProfile',
      'com.tencentcloudapi.ocr.v20181119.OcrClient',
      'com.tencentcloudapi.ocr.v20181119.models.QrcodeOCRRequest',
      'com.tencentcloudapi.ocr.v20181119.models.QrcodeOCRResponse',
      'com.tencentcloudapi.ocr.v20181119.models.QrcodeResultsInfo',
    ]);
    expect(text).toContain('for (QrcodeResultsInfo code : response.getCodeResults())');
    const pom = read('examples/java/pom.xml');
    expect(pom).toContain('<artifactId>tencentcloud-sdk-java-ocr</artifactId>');
    expect(pom).toContain('<exec.mainClass>example.QrcodeOcr</exec.mainClass>');
  });

  it('tccli (§7.3): --endpoint http://host:port on every call', () => {
    const text = read(PROGRAMS.tccli);
    const calls = text.replace(/\\\n/g, ' ').match(/tccli ocr QrcodeOCR[^\n]*/g) ?? [];
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call).toContain('--endpoint "http://$endpoint"');
      expect(call).toContain('--region ap-guangzhou');
    }
    expect(text).toMatch(/endpoint="\$\{TCOCR_ENDPOINT:-127\.0\.0\.1:9000\}"/);
  });

  it('curl: the Host header it signs, TC3-HMAC-SHA256 with service ocr, computed with openssl', () => {
    const text = read(PROGRAMS.curl);
    expect(text).toContain('service="ocr"');
    expect(text).toContain('-H "Host: $host"');
    expect(text).toContain('host:%s');
    expect(text).toContain('content-type;host');
    expect(text).toContain(
      'TC3-HMAC-SHA256 Credential=$secret_id/$date/$service/tc3_request, SignedHeaders=content-type;host, Signature=$signature',
    );
    expect(text).toContain('openssl dgst -sha256 -hmac "TC3$key"');
    expect(text).toContain('-macopt "hexkey:$1"');
    for (const header of [
      'X-TC-Action: $action',
      'X-TC-Timestamp: $timestamp',
      'X-TC-Version: $version',
      'X-TC-Region: $region',
    ])
      expect(text).toContain(header);
    expect(text).toContain('http://$endpoint/');
  });
});

describe('test-runner recipes', () => {
  it('every example folder has what it needs to install: a package.json with its dependencies', () => {
    for (const folder of ['node', 'vitest', 'jest']) {
      const manifest = JSON.parse(read(`examples/${folder}/package.json`)) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      expect({ ...manifest.dependencies, ...manifest.devDependencies }).toHaveProperty('tencentcloud-sdk-nodejs');
    }
    for (const [folder, runner] of [
      ['vitest', 'vitest'],
      ['jest', 'jest'],
    ] as const) {
      const manifest = JSON.parse(read(`examples/${folder}/package.json`)) as {
        devDependencies: Record<string, string>;
        scripts: Record<string, string>;
      };
      expect(manifest.devDependencies).toHaveProperty(runner);
      expect(manifest.devDependencies['tencentcloud-ocr-emulator']).toBe('file:../..');
      expect(manifest.scripts.test).toMatch(new RegExp(`^${runner}`));
    }
  });

  it('vitest and jest globalSetup files import the package by name', () => {
    expect(read('examples/vitest/global-setup.mjs')).toContain('from "tencentcloud-ocr-emulator"');
    expect(read('examples/vitest/vitest.config.mjs')).toContain('globalSetup: ["./global-setup.mjs"]');
    expect(read('examples/jest/global-setup.cjs')).toContain('await import("tencentcloud-ocr-emulator")');
    expect(read('examples/jest/jest.config.cjs')).toContain('globalTeardown: "./global-teardown.cjs"');
  });
});

describe('CI files', () => {
  it('GitHub Actions: the image as a service container on 9000, TCOCR_ENDPOINT host:port', () => {
    const workflow = parse(read('examples/ci/github-actions.yml')) as {
      jobs: Record<
        string,
        {
          services?: Record<string, { image: string; ports: string[] }>;
          env: Record<string, string>;
          steps: Array<{ run?: string }>;
        }
      >;
    };
    const job = workflow.jobs.test!;
    expect(job.services!.ocr!.image).toMatch(/tencentcloud-ocr-emulator:0\.1\.0$/);
    expect(job.services!.ocr!.ports).toEqual(['9000:9000']);
    expect(job.env.TCOCR_ENDPOINT).toBe('127.0.0.1:9000');
    expect(job.steps.some((step) => step.run?.includes('/_emulator/ready'))).toBe(true);
    const npx = workflow.jobs['test-npx']!;
    expect(
      npx.steps.some((step) => step.run === 'npx --yes tencentcloud-ocr-emulator exec --port 9000 -- npm test'),
    ).toBe(true);
  });

  it('GitLab CI: the image as a service with an alias, TCOCR_ENDPOINT alias:9000', () => {
    const pipeline = parse(read('examples/ci/gitlab-ci.yml')) as {
      test: { services: Array<{ name: string; alias: string }>; variables: Record<string, string>; script: string[] };
    };
    const [service] = pipeline.test.services;
    expect(service!.name).toMatch(/tencentcloud-ocr-emulator:0\.1\.0$/);
    expect(pipeline.test.variables.TCOCR_ENDPOINT).toBe(`${service!.alias}:9000`);
    expect(pipeline.test.script.join('\n')).toContain('/_emulator/ready');
  });

  it('docker/compose.yaml: the emulator built from this repository, a test runner started once it is healthy', () => {
    const compose = parse(read('docker/compose.yaml')) as {
      services: {
        ocr: { build: { context: string; dockerfile: string }; ports: string[] };
        tests: { depends_on: { ocr: { condition: string } }; environment: Record<string, string>; volumes: string[] };
      };
    };
    expect(compose.services.ocr.build).toEqual({ context: '..', dockerfile: 'Dockerfile' });
    expect(existsSync(`${ROOT}Dockerfile`)).toBe(true);
    expect(compose.services.ocr.ports).toEqual(['127.0.0.1:9000:9000']);
    expect(compose.services.tests.depends_on.ocr.condition).toBe('service_healthy');
    expect(compose.services.tests.environment.TCOCR_ENDPOINT).toBe('ocr:9000');
    expect(compose.services.tests.volumes).toContain('../examples:/examples:ro');
  });
});
