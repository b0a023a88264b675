/** `ImageUrl` intake: downloads with a deadline, a size cap, an address policy and local URL maps. */
export { fetchImage, FETCH_DEFAULTS, type FetchImageOptions } from './fetch-image.js';
export {
  checkAddress,
  classifyAddress,
  type AddressCategory,
  type AddressPolicy,
  type AddressVerdict,
} from './address-policy.js';
export type { UrlMapEntry } from './url-map.js';
