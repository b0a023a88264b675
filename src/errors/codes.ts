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
}

const table = {
  // ---- common (API-wide) codes -------------------------------------------------------------
  ActionOffline: {
    source: 'common',
    en: 'The action `{0}` has been taken offline.',
    zh: '接口已下线。',
  },
  'AuthFailure.InvalidAuthorization': {
    source: 'common',
    en: 'The request `Authorization` header does not conform to tencentcloud standards: {0}',
    zh: '请求头部的 Authorization 不符合腾讯云标准：{0}',
  },
  'AuthFailure.InvalidSecretId': {
    source: 'common',
    en: 'The SecretId is not an API key of tencentcloud.',
    zh: '密钥非法（不是云 API 密钥类型）。',
  },
  'AuthFailure.SecretIdNotFound': {
    source: 'common',
    en: 'The SecretId is not found, please ensure that your SecretId is correct.',
    zh: '密钥不存在，请确认您的 SecretId 是否正确。',
  },
  'AuthFailure.SignatureExpire': {
    source: 'common',
    en: 'The signature is expired, please request again.',
    zh: '签名过期，请重新发起请求。',
  },
  'AuthFailure.SignatureFailure': {
    source: 'common',
    en: 'The provided credentials could not be validated. Please check your signature is correct.',
    zh: '请求签名验证失败，请检查您的签名计算是否正确。',
  },
  'AuthFailure.TokenFailure': {
    source: 'common',
    en: 'The provided token is invalid or expired.',
    zh: 'token 错误。',
  },
  'AuthFailure.UnauthorizedOperation': {
    source: 'common',
    en: 'You are not authorized to perform this operation. Check your CAM policies, and ensure that you are using the correct access keys.',
    zh: '请求未授权。请检查 CAM 策略，并确认使用了正确的访问密钥。',
  },
  FailedOperation: {
    source: 'common',
    en: 'The operation failed.',
    zh: '操作失败。',
  },
  InternalError: {
    source: 'common',
    en: 'An internal error has occurred. Retry your request.',
    zh: '内部错误。',
  },
  InvalidAction: {
    source: 'common',
    en: 'The request `Action` is invalid or not found.',
    zh: '接口不存在。',
  },
  InvalidParameter: {
    source: 'common',
    en: 'Parameter `{0}` type error.',
    zh: '参数 `{0}` 类型错误。',
  },
  InvalidParameterValue: {
    source: 'common',
    en: 'A value specified in `{0}` is not valid, is unsupported, or cannot be used.',
    zh: '参数 `{0}` 的取值错误。',
  },
  InvalidRequest: {
    source: 'common',
    en: 'The multipart request body is malformed.',
    zh: 'multipart 格式的请求包体错误。',
  },
  LimitExceeded: {
    source: 'common',
    en: 'The quota has been exceeded.',
    zh: '超过配额限制。',
  },
  MissingParameter: {
    source: 'common',
    en: 'The request is missing a required parameter `{0}`.',
    zh: '缺少参数 `{0}`。',
  },
  NoSuchVersion: {
    source: 'common',
    en: 'The specified api version=`{0}` does not exist in service=`ocr`.',
    zh: '接口版本 `{0}` 不存在。',
  },
  RequestLimitExceeded: {
    source: 'common',
    en: 'Your current request times equals to `{0}` in a second, which exceeds the frequency limit `{1}` for a second. Please reduce the frequency of calls.',
    zh: '您当前每秒请求 `{0}` 次，超过了每秒频率上限 `{1}`，请稍后重试。',
  },
  RequestSizeLimitExceeded: {
    source: 'common',
    en: 'The request size exceeds the limit of `{0}` bytes.',
    zh: '请求包超过限制大小。',
  },
  ServiceUnavailable: {
    source: 'common',
    en: 'The service is temporarily unavailable. Please try again later.',
    zh: '当前服务暂时不可用。',
  },
  UnknownParameter: {
    source: 'common',
    en: 'The parameter `{0}` is not recognized.',
    zh: '参数 `{0}` 未定义。',
  },
  UnsupportedProtocol: {
    source: 'common',
    en: 'The HTTP method `{0}` is not supported; use GET or POST.',
    zh: 'HTTP 请求方法 `{0}` 不支持，请使用 GET 或 POST。',
  },
  UnsupportedRegion: {
    source: 'common',
    en: 'The action not support this region.',
    zh: '接口不支持所传地域。',
  },

  // ---- business codes of the two OCR actions (PROTOCOL.md §6.3) -----------------------------
  'FailedOperation.DownLoadError': {
    source: 'both-actions',
    en: 'File download failed.',
    zh: '文件下载失败。',
  },
  'FailedOperation.EmptyImageError': {
    source: 'both-actions',
    en: 'The image content is empty.',
    zh: '图片内容为空。',
  },
  'FailedOperation.ImageBlur': {
    source: 'QrcodeOCR',
    en: 'The image is too blurry.',
    zh: '图片模糊。',
  },
  'FailedOperation.ImageDecodeFailed': {
    source: 'both-actions',
    en: 'The image could not be decoded.',
    zh: '图片解码失败。',
  },
  'FailedOperation.ImageNoText': {
    source: 'both-actions',
    en: 'No text was recognised in the image.',
    zh: '图片中未检测到文本。',
  },
  'FailedOperation.ImageSizeTooLarge': {
    source: 'both-actions',
    en: 'The image dimensions are too large.',
    zh: '图片尺寸过大。',
  },
  'FailedOperation.OcrFailed': {
    source: 'both-actions',
    en: 'Recognition failed.',
    zh: 'OCR识别失败。',
  },
  'FailedOperation.UnKnowError': {
    source: 'both-actions',
    en: 'Unknown error.',
    zh: '未知错误。',
  },
  'FailedOperation.UnOpenError': {
    source: 'both-actions',
    en: 'The service is not activated.',
    zh: '服务未开通。',
  },
  'InvalidParameter.EngineImageDecodeFailed': {
    source: 'QrcodeOCR',
    en: 'The image could not be decoded: ImageBase64 is not valid base64.',
    zh: '图片解码失败。',
  },
  'InvalidParameterValue.InvalidParameterValueLimit': {
    source: 'both-actions',
    en: 'Parameter value error: {0}',
    zh: '参数值错误：{0}',
  },
  'LimitExceeded.TooLargeFileError': {
    source: 'both-actions',
    en: 'The file is too large.',
    zh: '文件内容太大。',
  },
  'ResourceUnavailable.InArrears': {
    source: 'QrcodeOCR',
    en: 'The account is in arrears.',
    zh: '账号已欠费。',
  },
  'ResourceUnavailable.ResourcePackageRunOut': {
    source: 'QrcodeOCR',
    en: 'The resource package has run out.',
    zh: '账号资源包耗尽。',
  },
  'ResourcesSoldOut.ChargeStatusException': {
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
  return template.replace(/\{(\d)\}/g, (_, i: string) => args[Number(i)] ?? '').trim();
}
