// Everything the publish activity and the stand-in tests need from the publishers.
export * from './types';
export * from './errors';
export * from './linkedin';
export * from './slack';
export * from './discord';
export * from './webhook';
