/**
 * The Excel add-in's bundle: one page (taskpane.html) that is also the shared runtime of the ribbon's
 * function commands and the change handler. `npm run build` builds it in production mode into
 * dist/excel-addin/; `npm run dev-server` serves it over https with the Office dev certificates.
 */
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const { DefinePlugin } = require('webpack');
const { readConfig, renderManifest } = require('../scripts/addin-config');

const root = path.join(__dirname, '..');

module.exports = async (env, argv) => {
  const dev = argv.mode !== 'production';
  // BUDGETLINE_ADDIN_URL, BUDGETLINE_CLIENT_ID, BUDGETLINE_TENANT_ID (scripts/addin-config.js): a bad
  // value stops the build here, naming it.
  const config = readConfig(process.env);
  let https;
  if (env && env.WEBPACK_SERVE) {
    const devCerts = require('office-addin-dev-certs');
    https = await devCerts.getHttpsServerOptions();
  }
  return {
    context: __dirname,
    devtool: dev ? 'source-map' : false,
    entry: { taskpane: './src/taskpane.ts' },
    output: {
      path: path.join(root, 'dist', 'excel-addin'),
      filename: '[name].js',
      // Chunks loaded on demand (MSAL, only when sign-in is configured: src/signin.ts), from the
      // pane's own origin: webpack finds it from taskpane.js's address (publicPath 'auto').
      chunkFilename: '[name].[contenthash:8].js',
      clean: true,
    },
    resolve: { extensions: ['.ts', '.js', '.json'] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          loader: 'ts-loader',
          exclude: /node_modules/,
          options: {
            configFile: path.join(__dirname, 'tsconfig.json'),
            transpileOnly: true,
            compilerOptions: { noEmit: false, sourceMap: dev },
          },
        },
      ],
    },
    plugins: [
      new DefinePlugin({ __BUDGETLINE_CONFIG__: JSON.stringify(config) }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane.html',
        chunks: ['taskpane'],
        scriptLoading: 'defer',
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets', to: 'assets' },
          { from: 'src/taskpane.css', to: 'taskpane.css' },
          { from: 'src/help.html', to: 'help.html' },
          {
            // The manifest for this deployment: manifest.xml with its URL and client ID.
            from: path.join(root, 'manifest.xml'),
            to: 'manifest.xml',
            transform: (content) => renderManifest(content.toString('utf8'), config),
          },
        ],
      }),
    ],
    performance: { hints: false },
    devServer: {
      static: { directory: path.join(root, 'dist', 'excel-addin') },
      headers: { 'Access-Control-Allow-Origin': '*' },
      server: https ? { type: 'https', options: https } : 'http',
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
    },
  };
};
