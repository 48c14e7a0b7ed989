/**
 * The charts' text, drawn on a canvas: the canvas does not know the page's language, so with
 * echarts' default `sans-serif` a machine whose sans-serif font has no Chinese (Debian's DejaVu)
 * picked a fallback glyph by glyph, and a chart's labels mixed a 楷体-like face with a sans one.
 * The Chinese sans faces of the systems the department uses come first (macOS, Windows, Linux).
 */
export const CHART_TEXT_STYLE = {
  fontFamily: '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif',
} as const;
