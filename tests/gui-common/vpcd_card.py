# SPDX-License-Identifier: GPL-3.0-or-later
"""A virtual smart card for vpcd (package vsmartcard-vpcd), in a thread.

The card connects to one of vpcd's readers ("Virtual PCD 00 00" listens on
TCP 35963, "Virtual PCD 00 01" on 35964): that is the insertion; closing the
connection removes it.  vpcd's protocol: every message is a 2-byte
big-endian length and a payload; 1-byte payloads are control messages
(0 power off, 1 power on, 2 reset, 4 "send the ATR"), anything else is an
APDU.  This card answers every APDU with 6D00 (instruction not supported):
the application only needs the ATR, and the certificates come from SoftHSM.
"""

import socket
import struct
import threading
import time

PORT_READER_0 = 35963
PORT_READER_1 = 35964
# An AKİS card of 2020 on (shared with the national ID card); data/card/atr.tsv.
AKIS_2020_ATR = "3B9F978131FE4580655443D3230231C073F62180810552"


class VirtualCard:
    def __init__(self, atr_hex=AKIS_2020_ATR, port=PORT_READER_0, host="127.0.0.1"):
        self.atr = bytes.fromhex(atr_hex)
        self.port = port
        self.host = host
        self.sock = None
        self.thread = None
        self.apdus = 0

    def insert(self, timeout=10.0):
        """Connect to vpcd (retrying while pcscd loads the driver)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection((self.host, self.port), timeout=2.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.sock.settimeout(None)
        # Each APDU is a small request and answer: without this, Nagle's
        # algorithm and delayed ACKs make every round trip take ~40 ms.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.thread = threading.Thread(target=self._serve, name="vpcd-card", daemon=True)
        self.thread.start()
        return self

    def remove(self):
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
            self.sock = None
        if self.thread is not None:
            self.thread.join(5)
            self.thread = None

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            # vpcd writes a message's length and payload separately; with
            # Nagle's algorithm on its side, a delayed ACK from ours would
            # hold the payload back ~40 ms. Linux resets QUICKACK, so set it
            # before every read.
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def _send(self, payload):
        self.sock.sendall(struct.pack(">H", len(payload)) + payload)

    def _serve(self):
        try:
            while True:
                (size,) = struct.unpack(">H", self._recv_exact(2))
                payload = self._recv_exact(size)
                if size == 1:
                    if payload[0] == 4:
                        self._send(self.atr)
                    # power off / on / reset need no answer
                    continue
                self.apdus += 1
                self._send(b"\x6d\x00")
        except (EOFError, OSError):
            return
