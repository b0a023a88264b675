#!/usr/bin/env bash
# tccli against the emulator: QrcodeOCR, then one error.
#
#   pip install tccli
#   TCOCR_ENDPOINT=127.0.0.1:9000 ./qrcode-ocr.sh [image.png]
#
# tccli has no protocol option: the scheme goes into --endpoint. `--endpoint http://host:port`
# selects plain HTTP (without a scheme tccli uses HTTPS); tccli then sends and signs
# `Host: http://host:port`, which the emulator accepts. tccli writes ~/.tccli (set HOME to move it).
set -euo pipefail

endpoint="${TCOCR_ENDPOINT:-127.0.0.1:9000}"
secret_id="${TENCENTCLOUD_SECRET_ID:-AKIDEMULATOR000000000000000000000000}"
secret_key="${TENCENTCLOUD_SECRET_KEY:-EmulatorSecretKey0000000000000000}"
image="${1:-$(dirname "$0")/../images/qr.png}"
image_base64="$(base64 < "$image" | tr -d '\n')"

tccli ocr QrcodeOCR \
  --ImageBase64 "$image_base64" \
  --region ap-guangzhou \
  --endpoint "http://$endpoint" \
  --secretId "$secret_id" \
  --secretKey "$secret_key"

# An error: tccli prints [TencentCloudSDKException] code:… and exits non-zero.
if output="$(tccli ocr QrcodeOCR --ImageBase64 "$image_base64" --region ap-guangzhou \
  --endpoint "http://$endpoint" --secretId "$secret_id" --secretKey not-the-secret-key 2>&1)"; then
  echo "expected AuthFailure.SignatureFailure, the call succeeded" >&2
  exit 1
fi
grep -o 'AuthFailure.SignatureFailure' <<<"$output" | head -n 1 | sed 's/^/error: /'
