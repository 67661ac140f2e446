import type { Server } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import supertest from 'supertest';
import '../../functions/index.js';

/**
 * A registered function behind the Functions Framework's own server (the same Express app and body parsing
 * Cloud Functions runs), started on an ephemeral port for the suite.
 */
const servers = new Map<string, Server>();

export function functionServer(name: string): Server {
  let server = servers.get(name);
  if (!server) {
    server = getTestServer(name);
    servers.set(name, server);
  }
  return server;
}

export function request(name: string) {
  return supertest(functionServer(name));
}
