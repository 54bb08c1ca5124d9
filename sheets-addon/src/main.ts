/**
 * The bundle's entry (webpack → dist/sheets-addon/Code.js). gas-webpack-plugin turns every
 * `global.name = …` below into a top-level `function name() {}` declaration, which is what Apps
 * Script needs for menus, triggers and google.script.run. Only these are callable; helpers end with `_`.
 */
import './polyfills';
import * as server from './server';
import * as report from './report';
import * as board from './board';
import * as cfo from './cfo-server';

declare const global: Record<string, unknown>;

global.onOpen = server.onOpen;
global.onInstall = server.onInstall;
global.onEdit = server.onEdit;
global.showSidebar = server.showSidebar;
global.menuValidateSite = server.menuValidateSite;
global.menuConsolidate = server.menuConsolidate;
global.menuExport = server.menuExport;
global.menuVerify = server.menuVerify;
global.menuNewWorkbook = server.menuNewWorkbook;
global.getStatus = server.getStatus;
global.validateSite = server.validateSite;
global.submitSite = server.submitSite;
global.approveSite = server.approveSite;
global.returnSite = server.returnSite;
global.reopenSite = server.reopenSite;
global.consolidateDistrict = server.consolidateDistrict;
global.projectDistrict = server.projectDistrict;
global.getProgress = server.getProgress;
global.exportBudget = server.exportBudget;
global.verifyApprovals = server.verifyApprovals;
global.createDistrictWorkbook = server.createDistrictWorkbook;
global.goToCell = server.goToCell;
global.boardReport = report.boardReport;
global.menuBoardReport = report.menuBoardReport;
global.adoptBudget = board.adoptBudget;
global.notAdoptedBudget = board.notAdoptedBudget;
global.reopenAllSites = board.reopenAllSites;
global.amendBudget = board.amendBudget;
global.draftAmendment = board.draftAmendment;
global.getProposals = cfo.getProposals;
global.decideProposal = cfo.decideProposal;
global.proposeProposal = cfo.proposeProposal;
global.getScenarios = cfo.getScenarios;
global.adoptScenario = cfo.adoptScenario;
global.getActuals = cfo.getActuals;
global.importBySiteRows = cfo.importBySiteRows;
