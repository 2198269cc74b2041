# Used by record-starttls.sh. A minimal SMTP / IMAP / POP3 server that switches to TLS on request (STARTTLS / STLS), for recording
# captures of real TLS clients (openssl s_client -starttls ...). One connection per port, then exits;
# the fourth port is an SMTP server that refuses STARTTLS (454). Python's ssl module does the TLS side.
# Usage: python3 mailserver.py CERT KEY SMTP_PORT IMAP_PORT POP3_PORT REFUSING_SMTP_PORT
import socket, ssl, sys, threading
cert, key = sys.argv[1], sys.argv[2]
PORTS = [int(x) for x in sys.argv[3:7]]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert, key)
def lines(f):
    return f.readline().decode('ascii', 'replace').strip()
def serve(port, proto, refuse=False):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', port)); s.listen(1)
    c, _ = s.accept(); f = c.makefile('rb')
    if proto == 'smtp':
        c.sendall(b'220 mail.example.test ESMTP ready\r\n')
        while True:
            l = lines(f)
            if l.upper().startswith('EHLO') or l.upper().startswith('HELO'):
                c.sendall(b'250-mail.example.test\r\n250-SIZE 35882577\r\n250 STARTTLS\r\n')
            elif l.upper() == 'STARTTLS':
                if refuse:
                    c.sendall(b'454 4.7.0 TLS not available due to temporary reason\r\n'); continue
                c.sendall(b'220 2.0.0 SMTP server ready\r\n'); break
            elif l.upper() == 'QUIT' or not l:
                c.sendall(b'221 bye\r\n'); c.close(); return
    elif proto == 'imap':
        c.sendall(b'* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n')
        while True:
            l = lines(f); tag = l.split(' ')[0] if l else ''
            if l.upper().endswith(' CAPABILITY'):
                c.sendall(b'* CAPABILITY IMAP4rev1 STARTTLS\r\n' + tag.encode() + b' OK done\r\n')
            elif l.upper().endswith(' STARTTLS'):
                c.sendall(tag.encode() + b' OK Begin TLS negotiation now\r\n'); break
            elif not l: c.close(); return
    else:
        c.sendall(b'+OK POP3 ready\r\n')
        while True:
            l = lines(f)
            if l.upper() == 'CAPA': c.sendall(b'+OK\r\nSTLS\r\n.\r\n')
            elif l.upper() == 'STLS': c.sendall(b'+OK Begin TLS\r\n'); break
            elif not l: c.close(); return
    try:
        t = ctx.wrap_socket(c, server_side=True); t.recv(100); t.close()
    except Exception as e:
        print(proto, 'tls:', e, file=sys.stderr); c.close()
ts = [threading.Thread(target=serve, args=a) for a in [(PORTS[0], "smtp"), (PORTS[1], "imap"), (PORTS[2], "pop3"), (PORTS[3], "smtp", True)]]
[t.start() for t in ts]; [t.join(20) for t in ts]
