/**
 * Fontconfig stand-ins for the official Chinese fonts. The Word file names the fonts office PCs
 * have (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体); Debian has none of them, and without a
 * rule LibreOffice falls back to one sans face for everything. These rules map each name to the
 * free face that looks most like it (packages fonts-noto-cjk, fonts-noto-cjk-extra,
 * fonts-arphic-gkai00mp). Every CJK face is one em wide, so line breaks and page breaks stay those
 * of the real fonts; only the strokes differ (decision 007).
 */

export interface FontStandIn {
  /** The names a .docx may ask for (Windows, WPS and Founder spellings). */
  names: readonly string[];
  family: string;
  bold?: boolean;
  /** Why this face. */
  why: string;
}

export const FONT_STAND_INS: readonly FontStandIn[] = [
  {
    names: ['仿宋_GB2312', '仿宋', 'FangSong', 'FangSong_GB2312', '方正仿宋_GBK', '方正仿宋简体'],
    family: 'Noto Serif CJK SC',
    why: '仿宋 is a light Song-style face; no free 仿宋 is packaged, and Noto Serif (a Song face) is the nearest shape',
  },
  {
    names: ['方正小标宋简体', '方正小标宋_GBK', '小标宋', 'FZXiaoBiaoSong-B05S'],
    family: 'Noto Serif CJK SC',
    bold: true,
    why: '小标宋 is a heavy display Song: Noto Serif CJK SC Bold',
  },
  { names: ['黑体', 'SimHei', '方正黑体_GBK', '方正黑体简体'], family: 'Noto Sans CJK SC', why: '黑体 is a sans face' },
  {
    names: ['楷体_GB2312', '楷体', 'KaiTi', 'KaiTi_GB2312', '方正楷体_GBK', '方正楷体简体'],
    family: 'AR PL KaitiM GB',
    why: 'a GB2312 Kai face, as 楷体_GB2312 itself',
  },
  { names: ['宋体', 'SimSun', '新宋体', 'NSimSun'], family: 'Noto Serif CJK SC', why: '宋体 is the Song face Noto Serif CJK draws' },
];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A fonts.conf that includes the system's configuration (`include`, normally /etc/fonts/fonts.conf
 * or whatever FONTCONFIG_FILE the server runs with), so every installed font and cache is still
 * found, and adds one rule per requested name: the family replaced by its stand-in (and the weight
 * made bold for 小标宋). Rules on the pattern run before matching, so LibreOffice asks for 仿宋_GB2312
 * and is given Noto Serif CJK SC.
 */
export function fontconfigXml(include: string): string {
  const rules = FONT_STAND_INS.flatMap((standIn) =>
    standIn.names.map(
      (name) => `  <match target="pattern">
    <test name="family" compare="eq" ignore-blanks="true"><string>${escapeXml(name)}</string></test>
    <edit name="family" mode="assign" binding="strong"><string>${escapeXml(standIn.family)}</string></edit>${
      standIn.bold ? '\n    <edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>' : ''
    }
  </match>`,
    ),
  );
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by diaodu for one LibreOffice conversion: the official fonts' stand-ins. -->
<fontconfig>
  <include ignore_missing="yes">${escapeXml(include)}</include>
${rules.join('\n')}
</fontconfig>
`;
}
