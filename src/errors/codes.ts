/**
 * THE error table: every Tencent error code the emulator can answer, with its messages in both
 * languages the API speaks and where the code comes from. Messages quoted from real replies are
 * used where known (shared spec PROTOCOL.md §5, §6.3); `{0}`, `{1}` are filled by the caller.
 *
 * `test/unit/error-table.test.ts` keeps this table equal to the README's error table.
 */

export type ErrorSource = 'common' | 'QrcodeOCR' | 'RecognizeHealthCodeOCR' | 'both-actions';

export interface ErrorEntry {
  readonly en: string;
  readonly zh: string;
  readonly source: ErrorSource;
  /** How a user makes the emulator answer this code without forcing it (the README's column). */
  readonly trigger: string;
}

const table = {
  // ---- common (API-wide) codes -------------------------------------------------------------
  ActionOffline: {
    trigger: 'RecognizeHealthCodeOCR with `TCOCR_HEALTHCODE_OFFLINE=true`.',
    source: 'common',
    en: 'The action `{0}` has been taken offline.',
    zh: '接口已下线。',
  },
  'AuthFailure.InvalidAuthorization': {
    trigger:
      'An `Authorization` header that is not TC3 form, `Authorization: SKIP`, `SignedHeaders` without `content-type` and `host`; in strict mode a scope service other than `ocr` (the Node SDK pointed at an IP).',
    source: 'common',
    en: 'The request `Authorization` header does not conform to tencentcloud standards: {0}',
    zh: '请求头部的 Authorization 不符合腾讯云标准：{0}',
  },
  'AuthFailure.InvalidSecretId': {
    trigger:
      'Never on its own (any configured SecretId is accepted); force it with a fault, e.g. `X-TC-Emulator-Fault: AuthFailure.InvalidSecretId`.',
    source: 'common',
    en: 'The SecretId is not an API key of tencentcloud.',
    zh: '密钥非法（不是云 API 密钥类型）。',
  },
  'AuthFailure.SecretIdNotFound': {
    trigger: 'A SecretId that is not in `TCOCR_CREDENTIALS`.',
    source: 'common',
    en: 'The SecretId is not found, please ensure that your SecretId is correct.',
    zh: '密钥不存在，请确认您的 SecretId 是否正确。',
  },
  'AuthFailure.SignatureExpire': {
    trigger:
      'A timestamp more than `TCOCR_CLOCK_SKEW_SECONDS` (300) from the server clock; `TCOCR_CLOCK_OFFSET_SECONDS=600` makes every request expire.',
    source: 'common',
    en: 'The signature is expired, please request again.',
    zh: '签名过期，请重新发起请求。',
  },
  'AuthFailure.SignatureFailure': {
    trigger: 'A wrong SecretKey or a tampered request; also a v1-signed POST over 1 MB (with the size message).',
    source: 'common',
    en: 'The provided credentials could not be validated. Please check your signature is correct.',
    zh: '请求签名验证失败，请检查您的签名计算是否正确。',
  },
  'AuthFailure.TokenFailure': {
    trigger: 'A temporary key (`SecretId:SecretKey:Token` in `TCOCR_CREDENTIALS`) called without its `X-TC-Token`.',
    source: 'common',
    en: 'The provided token is invalid or expired.',
    zh: 'token 错误。',
  },
  'AuthFailure.UnauthorizedOperation': {
    trigger:
      'A SecretId that CAM denies the action: `cam-denied` or `cam-denied:<Action>` in `TCOCR_ACCOUNTS`, or `PUT /_emulator/accounts/{secretId}`.',
    source: 'common',
    en: 'You are not authorized to perform this operation. Check your CAM policies, and ensure that you are using the correct access keys.',
    zh: '请求未授权。请检查 CAM 策略，并确认使用了正确的访问密钥。',
  },
  FailedOperation: {
    trigger:
      'Never on its own; force it with a fault, e.g. `X-TC-Emulator-Fault: FailedOperation` (docs/fault-injection.md).',
    source: 'common',
    en: 'The operation failed.',
    zh: '操作失败。',
  },
  InternalError: {
    trigger:
      'An unexpected server fault (logged with the RequestId); force it with a fault, e.g. `X-TC-Emulator-Fault: InternalError`.',
    source: 'common',
    en: 'An internal error has occurred. Retry your request.',
    zh: '内部错误。',
  },
  InvalidAction: {
    trigger: 'An action the emulator does not serve, or a path other than `/`.',
    source: 'common',
    en: 'The request `Action` is invalid or not found.',
    zh: '接口不存在。',
  },
  InvalidParameter: {
    trigger:
      'A business parameter of the wrong type (`ImageUrl: 5`), a body that is not a JSON object, not UTF-8, or of an unsupported Content-Type.',
    source: 'common',
    en: 'Parameter `{0}` type error.',
    zh: '参数 `{0}` 类型错误。',
  },
  InvalidParameterValue: {
    trigger: 'A region name that does not exist, an unknown `X-TC-Language`, an unknown v1 `SignatureMethod`.',
    source: 'common',
    en: 'A value specified in `{0}` is not valid, is unsupported, or cannot be used.',
    zh: '参数 `{0}` 的取值错误。',
  },
  InvalidRequest: {
    trigger:
      'A multipart body that does not follow its boundary framing; an HTTP request Node cannot parse; an HTTP/1.1 request without `Host`; a request not received within `TCOCR_REQUEST_TIMEOUT_MS`.',
    source: 'common',
    en: 'The multipart request body is malformed.',
    zh: 'multipart 格式的请求包体错误。',
  },
  LimitExceeded: {
    trigger: 'A SecretId past its daily quota (`daily-quota:<N>` in `TCOCR_ACCOUNTS`; days in Asia/Shanghai).',
    source: 'common',
    en: 'The quota has been exceeded.',
    zh: '超过配额限制。',
  },
  MissingParameter: {
    trigger:
      'No action; no version; a v1 request without `SecretId`, `Signature`, `Nonce` or `Timestamp`; no timestamp.',
    source: 'common',
    en: 'The request is missing a required parameter `{0}`.',
    zh: '缺少参数 `{0}`。',
  },
  NoSuchVersion: {
    trigger: 'A version other than `2018-11-19`.',
    source: 'common',
    en: 'The specified api version=`{0}` does not exist in service=`ocr`.',
    zh: '接口版本 `{0}` 不存在。',
  },
  RequestLimitExceeded: {
    trigger:
      'More calls per second for one SecretId and action than `TCOCR_RATE_LIMITS` allows (default 10/s for each action); an engine queue over `TCOCR_QUEUE_LIMIT`.',
    source: 'common',
    en: 'Your current request times equals to `{0}` in a second, which exceeds the frequency limit `{1}` for a second. Please reduce the frequency of calls.',
    zh: '您当前每秒请求 `{0}` 次，超过了每秒频率上限 `{1}`，请稍后重试。',
  },
  RequestSizeLimitExceeded: {
    trigger: 'A GET over 32 KB, a TC3 POST over 10 MB, request headers over 64 KB.',
    source: 'common',
    en: 'The request size exceeds the limit of `{0}` bytes.',
    zh: '请求包超过限制大小。',
  },
  ServiceUnavailable: {
    trigger:
      'Never on its own; force it with a fault, e.g. `X-TC-Emulator-Fault: ServiceUnavailable` (docs/fault-injection.md).',
    source: 'common',
    en: 'The service is temporarily unavailable. Please try again later.',
    zh: '当前服务暂时不可用。',
  },
  UnknownParameter: {
    trigger: 'A business parameter the action does not define.',
    source: 'common',
    en: 'The parameter `{0}` is not recognized.',
    zh: '参数 `{0}` 未定义。',
  },
  UnsupportedOperation: {
    trigger:
      'An OCR action the emulator does not emulate (`GeneralBasicOCR` …) with no fault rule answering it: the message says how to supply an answer.',
    source: 'common',
    en: '`{0}` is not emulated: answer it with a fault rule whose effect is a canned result ({ type: success, result: … }), see docs/fault-injection.md.',
    zh: '操作不支持。',
  },
  UnsupportedProtocol: {
    trigger: 'An HTTP method other than GET and POST.',
    source: 'common',
    en: 'The HTTP method `{0}` is not supported; use GET or POST.',
    zh: 'HTTP 请求方法 `{0}` 不支持，请使用 GET 或 POST。',
  },
  UnsupportedRegion: {
    trigger: 'A real region the action is not offered in (see `TCOCR_QRCODE_REGIONS`, `TCOCR_HEALTHCODE_REGIONS`).',
    source: 'common',
    en: 'The action not support this region.',
    zh: '接口不支持所传地域。',
  },

  // ---- business codes of the two OCR actions (PROTOCOL.md §6.3) -----------------------------
  'FailedOperation.DownLoadError': {
    trigger:
      'An `ImageUrl` that cannot be downloaded: DNS failure, refused connection, non-2xx, over 3 s, too many redirects, or a private address.',
    source: 'both-actions',
    en: 'File download failed.',
    zh: '文件下载失败。',
  },
  'FailedOperation.EmptyImageError': {
    trigger: '`ImageBase64: ""`, or an `ImageUrl` that returns 0 bytes.',
    source: 'both-actions',
    en: 'The image content is empty.',
    zh: '图片内容为空。',
  },
  'FailedOperation.ImageBlur': {
    trigger:
      'QrcodeOCR: no symbol found and the image is blurry (sharpness under `TCOCR_BLUR_THRESHOLD`, calibrated default 100; see docs/image-quality.md).',
    source: 'QrcodeOCR',
    en: 'The image is too blurry.',
    zh: '图片模糊。',
  },
  'FailedOperation.ImageDecodeFailed': {
    trigger: 'Bytes that are not PNG or JPEG (text, GIF, WebP) or a truncated image.',
    source: 'both-actions',
    en: 'The image could not be decoded.',
    zh: '图片解码失败。',
  },
  'FailedOperation.ImageNoText': {
    trigger: 'QrcodeOCR: no symbol in the image (a blank page). RecognizeHealthCodeOCR: no text in the image.',
    source: 'both-actions',
    en: 'No text was recognised in the image.',
    zh: '图片中未检测到文本。',
  },
  'FailedOperation.ImageSizeTooLarge': {
    trigger:
      'More pixels than `TCOCR_MAX_IMAGE_PIXELS` (50 MP), e.g. a decompression bomb; a side over 16,384 px; RecognizeHealthCodeOCR: one side over 12 times the other (all read from the header, before decoding).',
    source: 'both-actions',
    en: 'The image dimensions are too large.',
    zh: '图片尺寸过大。',
  },
  'FailedOperation.OcrFailed': {
    trigger: 'RecognizeHealthCodeOCR: the OCR worker crashed or hung (it is replaced).',
    source: 'both-actions',
    en: 'Recognition failed.',
    zh: 'OCR识别失败。',
  },
  'FailedOperation.UnKnowError': {
    trigger: 'QrcodeOCR: the decoder worker crashed or hung (it is replaced).',
    source: 'both-actions',
    en: 'Unknown error.',
    zh: '未知错误。',
  },
  'FailedOperation.UnOpenError': {
    trigger: 'A SecretId set `unopened` in `TCOCR_ACCOUNTS` or through the admin API.',
    source: 'both-actions',
    en: 'The service is not activated.',
    zh: '服务未开通。',
  },
  'InvalidParameter.EngineImageDecodeFailed': {
    trigger: '`ImageBase64` that is not base64.',
    source: 'QrcodeOCR',
    en: 'The image could not be decoded: ImageBase64 is not valid base64.',
    zh: '图片解码失败。',
  },
  'InvalidParameterValue.InvalidParameterValueLimit': {
    trigger:
      'Neither `ImageBase64` nor `ImageUrl`; an `ImageUrl` that is not http(s); RecognizeHealthCodeOCR `Type` other than 0.',
    source: 'both-actions',
    en: 'Parameter value error: {0}',
    zh: '参数值错误：{0}',
  },
  'LimitExceeded.TooLargeFileError': {
    trigger: '`ImageBase64` over 3 MB (QrcodeOCR) or 7 MB (RecognizeHealthCodeOCR), or a download of that size.',
    source: 'both-actions',
    en: 'The file is too large.',
    zh: '文件内容太大。',
  },
  'ResourceUnavailable.InArrears': {
    trigger: 'A SecretId set `in-arrears` in `TCOCR_ACCOUNTS` or through the admin API.',
    source: 'QrcodeOCR',
    en: 'The account is in arrears.',
    zh: '账号已欠费。',
  },
  'ResourceUnavailable.ResourcePackageRunOut': {
    trigger: 'A SecretId set `package-run-out` in `TCOCR_ACCOUNTS` or through the admin API.',
    source: 'QrcodeOCR',
    en: 'The resource package has run out.',
    zh: '账号资源包耗尽。',
  },
  'ResourcesSoldOut.ChargeStatusException': {
    trigger: 'A SecretId set `billing-abnormal` in `TCOCR_ACCOUNTS` or through the admin API.',
    source: 'both-actions',
    en: 'The billing status is abnormal.',
    zh: '计费状态异常。',
  },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof table;

export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorEntry>> = Object.freeze(table);

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}

export type Language = 'zh-CN' | 'en-US';

/** Fills `{0}`, `{1}` … with `args`; a placeholder without an argument is dropped. */
export function formatMessage(code: ErrorCode, language: Language, args: readonly string[] = []): string {
  const entry = ERROR_CODES[code];
  const template = language === 'zh-CN' ? entry.zh : entry.en;
  if (!template.includes('{')) return template.trim();
  return template.replace(/\{(\d)\}/g, (_, i: string) => args[Number(i)] ?? '').trim();
}
