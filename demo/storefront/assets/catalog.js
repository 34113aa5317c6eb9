// The demo shop's products. Prices are integer minor units (cents), like every amount in the
// loyalty contract. Names and blurbs are translated for the four demo locales.
export const currency = 'USD';

export const products = [
  {
    id: 'sku-mug',
    price: 2400,
    art: 'mug',
    name: {
      en: 'Stoneware mug',
      'zh-Hant': '石器馬克杯',
      'zh-Hans': '石器马克杯',
      lv: 'Keramikas krūze',
    },
    blurb: {
      en: 'Hand-glazed stoneware that keeps coffee warm through a slow morning.',
      'zh-Hant': '手工上釉的石器，讓咖啡在悠閒的早晨保持溫暖。',
      'zh-Hans': '手工上釉的石器，让咖啡在悠闲的早晨保持温暖。',
      lv: 'Ar rokām glazēta keramika, kas lēnā rītā saglabā kafiju siltu.',
    },
  },
  {
    id: 'sku-candle',
    price: 3200,
    art: 'candle',
    name: {
      en: 'Cedar soy candle',
      'zh-Hant': '雪松大豆蠟燭',
      'zh-Hans': '雪松大豆蜡烛',
      lv: 'Ciedra sojas svece',
    },
    blurb: {
      en: 'Fifty hours of cedar, vetiver and a hint of smoke.',
      'zh-Hant': '五十小時的雪松、岩蘭草與一絲煙燻香氣。',
      'zh-Hans': '五十小时的雪松、岩兰草与一丝烟熏香气。',
      lv: 'Piecdesmit stundas ciedra, vetivera un viegla dūmu aromāta.',
    },
  },
  {
    id: 'sku-throw',
    price: 12800,
    art: 'throw',
    name: {
      en: 'Merino wool throw',
      'zh-Hant': '美麗諾羊毛毯',
      'zh-Hans': '美丽诺羊毛毯',
      lv: 'Merino vilnas pleds',
    },
    blurb: {
      en: 'Woven in a small mill, soft enough for the sofa, warm enough for the porch.',
      'zh-Hant': '小型織坊織造，柔軟適合沙發，溫暖適合門廊。',
      'zh-Hans': '小型织坊织造，柔软适合沙发，温暖适合门廊。',
      lv: 'Austs nelielā fabrikā: pietiekami mīksts dīvānam, pietiekami silts verandai.',
    },
  },
  {
    id: 'sku-syrup',
    price: 1800,
    art: 'syrup',
    name: {
      en: 'Dark maple syrup',
      'zh-Hant': '深色楓糖漿',
      'zh-Hans': '深色枫糖浆',
      lv: 'Tumšais kļavu sīrups',
    },
    blurb: {
      en: 'Late-season syrup with a deep caramel taste. 250 ml.',
      'zh-Hant': '晚季楓糖漿，帶有濃郁焦糖風味。250 毫升。',
      'zh-Hans': '晚季枫糖浆，带有浓郁焦糖风味。250 毫升。',
      lv: 'Vēlās sezonas sīrups ar dziļu karameles garšu. 250 ml.',
    },
  },
  {
    id: 'sku-tea',
    price: 1400,
    art: 'tea',
    name: {
      en: 'Loose-leaf black tea',
      'zh-Hant': '散裝紅茶',
      'zh-Hans': '散装红茶',
      lv: 'Beramā melnā tēja',
    },
    blurb: {
      en: 'A malty breakfast blend in a reusable tin.',
      'zh-Hant': '麥芽香氣的早餐茶，裝在可重複使用的鐵罐中。',
      'zh-Hans': '麦芽香气的早餐茶，装在可重复使用的铁罐中。',
      lv: 'Iesala brokastu maisījums atkārtoti lietojamā kārbā.',
    },
  },
  {
    id: 'sku-board',
    price: 5600,
    art: 'board',
    name: {
      en: 'Walnut serving board',
      'zh-Hant': '胡桃木餐板',
      'zh-Hans': '胡桃木餐板',
      lv: 'Riekstkoka servēšanas dēlis',
    },
    blurb: {
      en: 'One piece of oiled walnut with a carved handle.',
      'zh-Hant': '整塊上油胡桃木，附雕刻把手。',
      'zh-Hans': '整块上油胡桃木，附雕刻把手。',
      lv: 'Viens eļļota riekstkoka gabals ar grebtu rokturi.',
    },
  },
];

export function findProduct(id) {
  return products.find((product) => product.id === id) ?? null;
}
