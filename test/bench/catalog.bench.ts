import { performance } from 'node:perf_hooks';
import { loadCatalog } from '../../catalog/load.js';
import { createSearchIndex } from '../../catalog/search.js';
import { median, percentile, round, type Bench } from './figures.js';

/**
 * `catalog.search.p99_ms`: p99 latency of 200 mixed queries (hanzi, full pinyin, initials, synonyms and
 * partial input as typed key by key) over the whole shipped catalog. Goal < 5 ms (issue 4).
 * Index build time is reported separately: it happens once per catalog version, not per keystroke.
 */

const QUERIES = [
  // hanzi names and parts
  '出生一件事', '老年人优待证', '企业开办', '公积金', '居住证', '异地就医', '失业保险金', '残疾人', '高龄津贴', '低保',
  '个体工商户', '食品经营许可', '施工许可', '简易注销', '驾驶证', '护照', '结婚登记', '身后一件事', '继承', '入学',
  // full pinyin, with and without spaces
  'chushengyijianshi', 'chu sheng yi jian shi', 'laonianrenyoudaizheng', 'zhufanggongjijin', 'juzhuzheng', 'yidijiuyi',
  'shiyebaoxianjin', 'gaolingjintie', 'getigongshanghu', 'jianyizhuxiao', 'jiashizheng', 'huzhao',
  // initials, full and partial, and mixed syllables
  'csyjs', 'lnrydz', 'qykb', 'gjj', 'jzz', 'ydjy', 'sybxj', 'gljt', 'gtgsh', 'jyzx', 'chusyjs', 'zfgjjtq',
  // everyday words (keywords and synonyms)
  '生孩子', '退休', '开公司', '看病报销', '买房', '租房', '去世', '找工作', '开店', '交税', '我要开公司', 'shenghaizi',
  // no result
  'qqqqq', '火星移民',
];

export default (async () => {
  const catalog = loadCatalog();
  const buildStart = performance.now();
  const index = createSearchIndex(catalog);
  const buildMs = performance.now() - buildStart;

  // Each query also typed key by key, as the on-screen keyboard sends it; 200 in all.
  const typed = QUERIES.flatMap((query) => Array.from({ length: query.length }, (_, end) => query.slice(0, end + 1)));
  const mixed = Array.from({ length: 200 }, (_, position) => typed[(position * 7) % typed.length] ?? '');

  for (const query of mixed) index.search(query); // warm-up: JIT, not pinyin (that is precomputed)
  const samples: number[] = [];
  for (let round_ = 0; round_ < 5; round_++) {
    for (const query of mixed) {
      const start = performance.now();
      index.search(query);
      samples.push(performance.now() - start);
    }
  }
  return {
    'catalog.search.p99_ms': { value: round(percentile(samples, 99), 3), unit: 'ms' },
    'catalog.search.median_ms': { value: round(median(samples), 3), unit: 'ms' },
    'catalog.search.index_build_ms': { value: round(buildMs, 1), unit: 'ms' },
  };
}) satisfies Bench;
