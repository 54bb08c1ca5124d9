import { launch, serveDist, openPane } from './excel-addin/browser';
import { districtSheets } from './excel-addin/district';
import { axeViolations } from './excel-addin/axe';
(async () => {
  const { server, url } = await serveDist();
  const browser = await launch();
  const { page } = await openPane(browser, url, { sheets: await districtSheets() });
  await page.waitForSelector('#site option', { state: 'attached' });
  await page.selectOption('#act-as', 'principal@district.k12.us');
  await page.click('#validate');
  await page.waitForSelector('#findings .bl-finding');
  await page.waitForTimeout(500);
  console.log(JSON.stringify(await axeViolations(page), null, 1));
  await page.selectOption('#act-as', 'cfo@district.k12.us');
  await page.waitForSelector('#district:not([hidden])');
  console.log(JSON.stringify(await axeViolations(page), null, 1));
  await browser.close(); server.close();
})();
