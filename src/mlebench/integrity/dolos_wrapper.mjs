// Runs Dolos (@dodona/dolos-lib) on the files named on stdin and prints every pair's similarity.
// stdin: {"lib": "<absolute path of dolos-lib's entry file>", "language": "python", "files": [...]}
// stdout: [{"left": path, "right": path, "similarity": 0..1, "longest": n, "overlap": n}, ...]
import { pathToFileURL } from "node:url";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);
const { Dolos } = await import(pathToFileURL(request.lib).href);
const dolos = new Dolos({ language: request.language || null });
const report = await dolos.analyzePaths(request.files);
const pairs = report.allPairs().map((pair) => ({
  left: pair.leftFile.path,
  right: pair.rightFile.path,
  similarity: pair.similarity,
  longest: pair.longest,
  overlap: pair.overlap,
}));
process.stdout.write(JSON.stringify(pairs));
