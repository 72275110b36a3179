// Fails a test whose API answers disagreed with /openapi.json (see test/helpers/contract.ts).
import { takeMismatches } from './contract';

afterEach(async () => {
  const { mismatches } = await takeMismatches();
  if (mismatches.length)
    throw new Error(
      `The API answered what its OpenAPI document does not say (fix the code or the schema in api/responses/, then npm run gen:api):\n  ${mismatches.join('\n  ')}`,
    );
});
