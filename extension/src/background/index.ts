// The service worker: message handlers live in ./messages; this file adds the one thing a
// request/response message cannot do, streaming a draft to the panel over a port.
import { restrictStorageToExtensionPages } from '~lib/settings';
import { streamDraftToPort } from './generate';

restrictStorageToExtensionPages();
chrome.runtime.onInstalled.addListener(() => restrictStorageToExtensionPages());
chrome.runtime.onConnect.addListener(streamDraftToPort);
