// `npm start` (decision 039): builds dist/ when it is missing or older than the sources (a fast
// check of file times), then runs the compiled server in this same process. Without the compiler
// (`npm ci --omit=dev`) a stale dist/ still runs, with a warning; a missing one cannot.
import { buildServer, buildState, findCompiler } from './build-server.mjs';

const state = buildState();
if (state !== 'fresh') {
  if (findCompiler() !== null) {
    process.stdout.write(
      state === 'missing' ? '首次启动：编译服务端 first start: building the server…\n' : '源码已改动：重新编译服务端 sources changed: rebuilding the server…\n',
    );
    if (!buildServer()) process.exit(1);
  } else if (state === 'stale') {
    process.stderr.write('警告 warning: dist/ 早于源码且未安装编译器，运行旧的编译结果 (dist/ is older than the sources; running it)\n');
  } else {
    process.stderr.write('服务端尚未编译，且未安装 TypeScript：请先 npm ci 并 npm run build (not built and no compiler)\n');
    process.exit(1);
  }
}
// Stack traces in the log name the TypeScript sources' lines (tsconfig.build.json writes the maps).
process.setSourceMapsEnabled(true);
await import('../dist/server/main.js');
