/**
 * Loaded with `node --import` into a functions-framework process (function-server.ts). The framework's
 * main listens on every interface and has no option to choose one (its `listen(port, callback)`), so
 * that one call gets the address in LISTEN_HOST: on this machine the functions answer on loopback
 * unless told otherwise, since they accept unsigned tokens there.
 */
import net from 'node:net';

const host = process.env['LISTEN_HOST'];

if (host) {
  const listen = net.Server.prototype.listen;
  // Only the form the framework uses is rewritten; any call naming its own address is left alone.
  net.Server.prototype.listen = function listenOnHost(this: net.Server, ...args: unknown[]): net.Server {
    const [port, callback] = args;
    const portOnly = (typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port))) && (args.length === 1 || typeof callback === 'function');
    return Reflect.apply(listen, this, portOnly ? [Number(port), host, ...args.slice(1)] : args) as net.Server;
  } as typeof listen;
}
