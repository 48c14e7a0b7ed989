/**
 * "No new facts" (decision 032): an answer that states no number, no date, no document number and
 * names no document, project or organisation says nothing a reader could check ("配合相关职能部门推进相关工作。").
 */

/** Names that carry digits but are not figures. */
const NAMES_WITH_DIGITS = /PM\s*2\.5|PM\s*10|[SN]O2|O3|CO2/gi;
/** A figure, full-width ones too (１２). */
const ARABIC = /[\d０-９]/;
/** Chinese numerals used as quantities (两起, 三个, 十二项); a bare 一 (一批, 一个) is only "a". */
const CHINESE_QUANTITY =
  /(?:[两二三四五六七八九]|[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]?[百千万])\s*(?:个|项|家|批|次|件|名|条|类|起|座|所|处|级|种|份|轮|方面|年|月|日|季度|市|县|区|大)/;
const NAMED_DOCUMENT = /《[^》]+》|<[^<>\d]{2,60}>/;
const NAMED_PROJECT = /[“"][^”"]{2,40}[”"](?:工程|项目|行动|计划|活动|专项|平台|示范区|试点|专列)/;
/** A name in quotes, four characters or more: a campaign, a mechanism, a meeting (“三江流域生态补偿机制”); “十三五” is only a period. */
const QUOTED_NAME = /“[^“”]{4,40}”/;
/** A named organisation worked with: 中国葛洲坝集团股份有限公司, 成都理工大学, 中国环科院 (not 相关企业集团). */
const NAMED_ORGANISATION = /\p{Script=Han}{2,}(?<!企业|相关|有关|各类|下属|所属)(?:公司|集团|大学|研究院|科学院|环科院)/u;

/** True when the answer states something checkable: a number, a date, a document number or a named document or project. */
export function hasNewFacts(text: string): boolean {
  const plain = text.replace(NAMES_WITH_DIGITS, '');
  return (
    ARABIC.test(plain) ||
    CHINESE_QUANTITY.test(plain) ||
    NAMED_DOCUMENT.test(text) ||
    NAMED_PROJECT.test(text) ||
    QUOTED_NAME.test(text) ||
    NAMED_ORGANISATION.test(text)
  );
}
