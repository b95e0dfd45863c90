// Reference LiveKit token server, written the way LiveKit's own example is
// (livekit-examples/token-server-node, src/main.ts), on node:http
// instead of express, with the header check the TokenSource docs ask for ("add your own custom
// header-based authentication") doing what the gateway's api-key mode does: Bearer key, constant time.
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { AccessToken, RoomConfiguration } from 'livekit-server-sdk';

const { LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, API_KEY } = process.env;
const port = Number(process.env.PORT || 3000);
const expected = Buffer.from(`Bearer ${API_KEY}`);

function authorized(req) {
  const got = Buffer.from(req.headers.authorization || '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function createToken(request) {
  const roomName = request.room_name ?? request.roomName ?? `room-${Math.random().toString(36).slice(2, 8)}`;
  const participantName = request.participant_name ?? request.participantName ?? 'user';
  const identity = request.participant_identity ?? participantName;
  const at = new AccessToken(LIVEKIT_API_KEY, LIVEKIT_API_SECRET, {
    identity,
    name: participantName,
    metadata: request.participant_metadata,
    attributes: request.participant_attributes,
    ttl: '10m',
  });
  at.addGrant({ roomJoin: true, room: roomName, canUpdateOwnMetadata: true });
  if (request.room_config) {
    at.roomConfig = RoomConfiguration.fromJson(request.room_config, { ignoreUnknownFields: true });
  }
  return at.toJwt();
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/createToken') return send(res, 404, { message: 'Not found' });
  if (!authorized(req)) return send(res, 401, { message: 'Unauthorized' });
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { raw += chunk; });
  req.on('end', async () => {
    try {
      const participant_token = await createToken(raw ? JSON.parse(raw) : {});
      send(res, 201, { server_url: LIVEKIT_URL, participant_token });
    } catch (e) {
      send(res, 500, { message: 'Generating token failed' });
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log(`token server on 127.0.0.1:${port}`));
