#!/usr/bin/env bash
# Raw HTTP against the emulator: a TC3-HMAC-SHA256 signature computed with openssl, sent with curl.
# QrcodeOCR, then one error (a wrong SecretKey).
#
#   TCOCR_ENDPOINT=127.0.0.1:9000 ./qrcode-ocr.sh [image.png]
#
# Needs bash, curl, openssl (1.1 or 3), base64. TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY
# default to the emulator's built-in key pair.
set -euo pipefail

endpoint="${TCOCR_ENDPOINT:-127.0.0.1:9000}" # host:port; plain http
secret_id="${TENCENTCLOUD_SECRET_ID:-AKIDEMULATOR000000000000000000000000}"
secret_key="${TENCENTCLOUD_SECRET_KEY:-EmulatorSecretKey0000000000000000}"
image="${1:-$(dirname "$0")/../images/qr.png}"

host="$endpoint" # the Host header: sent, and signed, exactly as here
service="ocr"    # the credential scope's service: always ocr, whatever host is called
action="QrcodeOCR"
version="2018-11-19"
region="ap-guangzhou"
content_type="application/json; charset=utf-8"

sha256_hex() { printf '%s' "$1" | openssl dgst -sha256 | awk '{print $NF}'; }
# HMAC-SHA256 of $2 with a key given in hex ($1).
hmac_hex() { printf '%s' "$2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" | awk '{print $NF}'; }

# call SECRET_KEY PAYLOAD: one signed POST, the response body on stdout.
call() {
  local key="$1" payload="$2"
  local timestamp date canonical_request string_to_sign k_date k_service k_signing signature
  timestamp="$(date +%s)"
  date="$(date -u +%Y-%m-%d)"

  # 1. Canonical request: method, URI, query, headers (lower-case name:value), signed headers, body hash.
  canonical_request="$(printf 'POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s' \
    "$content_type" "$host" "$(sha256_hex "$payload")")"
  # 2. String to sign.
  string_to_sign="$(printf 'TC3-HMAC-SHA256\n%s\n%s/%s/tc3_request\n%s' \
    "$timestamp" "$date" "$service" "$(sha256_hex "$canonical_request")")"
  # 3. Signing key: HMAC chain over the date, the service and "tc3_request".
  k_date="$(printf '%s' "$date" | openssl dgst -sha256 -hmac "TC3$key" | awk '{print $NF}')"
  k_service="$(hmac_hex "$k_date" "$service")"
  k_signing="$(hmac_hex "$k_service" "tc3_request")"
  signature="$(hmac_hex "$k_signing" "$string_to_sign")"

  curl -sS "http://$endpoint/" \
    -H "Host: $host" \
    -H "Content-Type: $content_type" \
    -H "Authorization: TC3-HMAC-SHA256 Credential=$secret_id/$date/$service/tc3_request, SignedHeaders=content-type;host, Signature=$signature" \
    -H "X-TC-Action: $action" \
    -H "X-TC-Timestamp: $timestamp" \
    -H "X-TC-Version: $version" \
    -H "X-TC-Region: $region" \
    -H "X-TC-Language: en-US" \
    --data-binary "$payload"
  echo
}

payload="{\"ImageBase64\":\"$(base64 < "$image" | tr -d '\n')\"}"

response="$(call "$secret_key" "$payload")"
echo "QrcodeOCR: $response"

# An error: Tencent answers HTTP 200 with Response.Error.Code.
response="$(call "not-the-secret-key" "$payload")"
if ! grep -q '"Code":"AuthFailure.SignatureFailure"' <<<"$response"; then
  echo "expected AuthFailure.SignatureFailure, got: $response" >&2
  exit 1
fi
echo "error: $response"
