// The bench's loopback server, in its own process so its work does not share the client's event
// loop: answers every request with one fixed share body and reports its port over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from(
  JSON.stringify({
    share_token:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzZXNzaW9uX2lkIjoiMTExMTExMTEtMjIyMi0zMzMzLTQ0NDQtNTU1NTU1NTU1NTU1Iiwic2Vzc2lvbl9raW5kIjoidXNlciIsImZyb21fYXBwbGljYXRpb25faWQiOiJkYmQyMGUzNC00MmU5LTRmMmMtYmE5MS1jZjA3NjIwMTZmNjQiLCJmb3JfYXBwbGljYXRpb25faWQiOiJhNWYzYmNhMi00NmUyLTQxMWUtOTBlZi1hNTgwOTAwYTU3ZWUiLCJpYXQiOjE3NjQwMDAwMDAsImV4cCI6MTc2NDAwNzIwMH0.TTbx3jVrFIe2e9G9aR3oN6nWCYIJsUbBzdOzn49VUj4',
    for_application_id: 'a5f3bca2-46e2-411e-90ef-a580900a57ee',
    session_kind: 'user',
  }),
);
const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
process.on('disconnect', () => process.exit(0));
