// Step 1 of loading graphql-js in production mode (see graphql-js.ts): remember NODE_ENV and set it.
export const previousNodeEnv = process.env.NODE_ENV;
process.env.NODE_ENV = 'production';
