/**
 * 450 characters common in Chinese given names: a masked name's given-name character that is
 * none of them is checked against the recogniser's other choices for it (paddle/given-name.ts).
 */
const COMMON_GIVEN = new Set([
  ...'伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志峰新亮成东海文博晨云松柏正永荣德庆福生祥春金宏兴民安利昌贵顺发全仁义礼智信忠孝良才贤胜光辰立坤振江山川河泉水洪澜清源森树武兵彬冰豪杭航翔鹤鸿鹰雄威锋钢铁锐铭锦钧键政治学升昊天皓昆晖晟景晋晓曦朗朝望月星耀然炎烨焕熙燕杨柳桐桦梁栋楠槐榕棋琪琦瑞瑜璇瑶璐玲珊珍珠琳琴瑾环玉洁淑娟婷娜媛婉嫣娇妍姗姿娥妹婕婧佳倩丽莉莹萍芳芬苗英蓉蕾薇菲萱茜荷莲菊兰梅桂香雪霞露雯霏雅静敏慧惠秀红艳美凤翠秋冬夏青丹彤欣悦怡馨心思念乐嘉颖颜丝纯素绮绿紫晶岚宜容宝家娅姣妮婵琼瑗璟诗语诺谦逸远迪达通进运轩煜炜烁灿灵泽淼渊溪润涵汉沛沁泓洋淳湘滨潇澄卓奇宸宥宗守寿尧岩峻崇嵘巍希年庭康广延弘彦征恒恩愉战承扬敬方旺昭晗晴曼有朋木杉枫柯格桥梓棠楷欢毅汇泳洲浪涌淇添渝湛满滔漫潮炫烽焱牧玮珂琛瑛璋甜田由畅登益盛睿石硕祖祺禹秉程稳童笑筱精纪纲维绍缘群羽翊翰聪育舒艺芝芸苒若茂茹莎菁萌蒙蓓蔚融行衡裕观言誉贝贞贺赫越跃路轶迎连道邦郁钰银锡镇长阔隆雁雨震霖靖韦韩韵颂驰骏高魁鸣鹿麟黎鼎',
]);

export function isCommonGivenChar(char: string): boolean {
  return COMMON_GIVEN.has(char);
}
