/**
 * Tencent Cloud region names. A region outside this list answers InvalidParameterValue; a known
 * region that the action is not offered in answers UnsupportedRegion (PROTOCOL.md §1.5 #12).
 */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set([
  'ap-bangkok',
  'ap-beijing',
  'ap-beijing-fsi',
  'ap-chengdu',
  'ap-chongqing',
  'ap-guangzhou',
  'ap-hongkong',
  'ap-jakarta',
  'ap-mumbai',
  'ap-nanjing',
  'ap-seoul',
  'ap-shanghai',
  'ap-shanghai-fsi',
  'ap-shenzhen-fsi',
  'ap-singapore',
  'ap-taipei',
  'ap-tokyo',
  'eu-frankfurt',
  'eu-moscow',
  'na-ashburn',
  'na-siliconvalley',
  'na-toronto',
  'sa-saopaulo',
]);
