// The wandb release whose wire behaviour this client reproduces (reference §0: HEAD b6e29505). It is the
// `<ver>` of the Python User-Agents and the `cli_version` in `config._wandb`, so recordings look like that SDK.
export const SDK_VERSION = '0.28.3.dev1';
