export async function main(argv: string[]): Promise<number> {
  console.log('diaodu', argv);
  return 0;
}
