import { systemActor } from '../../domain/actor.ts';
import type { OrganisationProfileView } from '../../domain/api/organisation-profile.ts';
import { LEADER_WORDS } from '../../domain/organisation-profile.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';

const usage = `用法：
  diaodu profile show
  diaodu profile set [--full-name 单位全称] [--office 办公室名称] [--issuer-mark 发文机关标志]
                     [--prefixes 机关代字,…] [--leader-word 领导称谓] [--unit-words 处,室]
                     [--time-zone 时区]

本单位信息（以本机运维人员身份执行，写入审计日志）：
  show  显示本单位信息
  set   设置本单位信息；未给出的项保留原值（首次设置须给出全称、办公室名称、
        发文机关标志、领导称谓和处室称谓）。发文机关标志省略时与办公室名称相同。
        --prefixes、--unit-words 以逗号分隔，第一个为常用的
        --leader-word 为 ${LEADER_WORDS.join('、')} 之一
        --time-zone 为 IANA 时区名称，如 Asia/Shanghai；给出空字符串则使用 DIAODU_TIME_ZONE
  -h, --help  显示帮助`;

const list = (text: string | undefined): string[] | undefined =>
  text === undefined
    ? undefined
    : text
        .split(/[,，、]/)
        .map((item) => item.trim())
        .filter((item) => item !== '');

/** The profile as lines an operator reads. */
export function describeProfile(view: OrganisationProfileView): string {
  if (!view.profile) return `尚未设置本单位信息。\n时区：${view.timeZone}（DIAODU_TIME_ZONE）\n`;
  const p = view.profile;
  return [
    `单位全称：${p.fullName}`,
    `办公室名称：${p.officeName}`,
    `发文机关标志：${p.issuerMark}`,
    `机关代字：${p.docPrefixes.join('、') || '（未设置）'}`,
    `领导称谓：${p.leaderWord}`,
    `处室称谓：${p.unitWords.join('、')}`,
    `时区：${view.timeZone}${p.timeZone ? '' : '（DIAODU_TIME_ZONE）'}`,
    '',
  ].join('\n');
}

export const profileCommand: Command = {
  name: 'profile',
  summary: '本单位信息：全称、办公室、发文机关标志、机关代字、领导与处室称谓、时区',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      'full-name': { type: 'string' },
      office: { type: 'string' },
      'issuer-mark': { type: 'string' },
      prefixes: { type: 'string' },
      'leader-word': { type: 'string' },
      'unit-words': { type: 'string' },
      'time-zone': { type: 'string' },
    });
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    const [action, extra] = positionals;
    if (extra !== undefined) throw new UsageError(`多余的参数：${extra}`);
    const actor = systemActor('cli');
    if (action === 'show')
      return withCliContext(io, async ({ organisationProfile }) => (io.out(describeProfile(await organisationProfile.view(actor))), ExitCode.ok));
    if (action === 'set') {
      return withCliContext(io, async ({ organisationProfile }) => {
        const current = (await organisationProfile.view(actor)).profile;
        const officeName = values.office ?? current?.officeName ?? '';
        const updated = await organisationProfile.update(actor, {
          fullName: values['full-name'] ?? current?.fullName ?? '',
          officeName,
          issuerMark: values['issuer-mark'] ?? current?.issuerMark ?? officeName,
          docPrefixes: list(values.prefixes) ?? current?.docPrefixes ?? [],
          leaderWord: values['leader-word'] ?? current?.leaderWord ?? '',
          unitWords: list(values['unit-words']) ?? current?.unitWords ?? [],
          timeZone: values['time-zone'] ?? current?.timeZone ?? null,
        });
        io.out(`已设置本单位信息：\n${describeProfile(updated)}`);
        return ExitCode.ok;
      });
    }
    throw new UsageError(`未知操作：${action ?? '（无）'}，应为 show 或 set`);
  },
};
