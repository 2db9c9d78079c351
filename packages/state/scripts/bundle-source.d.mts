/** Bundles the package's TypeScript source (plus `Money`) into one ES module at `outFile` that plain `node` can import. */
export function bundleStateSource(outFile: string): Promise<string>;
