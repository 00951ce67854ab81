package com.groupbuy.market.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Publishes one message over AMQP 0-9-1 written frame by frame, as any client may: its message id, content type and
 * one header name are bytes as given, not necessarily UTF-8 (the Java client cannot send such bytes, other clients
 * can). Default exchange, guest/guest on 127.0.0.1:5672, waits for the broker's publisher confirm.
 */
public final class RawAmqpPublisher {

    private RawAmqpPublisher() {}

    public static void publish(String queue, byte[] messageId, byte[] contentType, byte[] headerName, byte[] body)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", 5672)) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
            await(in, 10, 10); // connection.start
            method(out, 0, 10, 11, args -> {
                args.writeInt(0); // client properties: an empty table
                shortstr(args, "PLAIN".getBytes(StandardCharsets.US_ASCII));
                byte[] response = "\0guest\0guest".getBytes(StandardCharsets.US_ASCII);
                args.writeInt(response.length);
                args.write(response);
                shortstr(args, "en_US".getBytes(StandardCharsets.US_ASCII));
            });
            DataInputStream tune = await(in, 10, 30);
            int channelMax = tune.readUnsignedShort();
            int frameMax = tune.readInt();
            method(out, 0, 10, 31, args -> {
                args.writeShort(channelMax);
                args.writeInt(frameMax);
                args.writeShort(0); // no heartbeats
            });
            method(out, 0, 10, 40, args -> {
                shortstr(args, "/".getBytes(StandardCharsets.US_ASCII));
                shortstr(args, new byte[0]);
                args.writeByte(0);
            });
            await(in, 10, 41);
            method(out, 1, 20, 10, args -> shortstr(args, new byte[0]));
            await(in, 20, 11);
            method(out, 1, 85, 10, args -> args.writeByte(0)); // confirm.select
            await(in, 85, 11);
            method(out, 1, 60, 40, args -> {
                args.writeShort(0);
                shortstr(args, new byte[0]); // the default exchange
                shortstr(args, queue.getBytes(StandardCharsets.UTF_8));
                args.writeByte(0);
            });
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream props = new DataOutputStream(header);
            props.writeShort(60);
            props.writeShort(0);
            props.writeLong(body.length);
            props.writeShort(0x8000 | 0x2000 | 0x0080); // content type, headers, message id
            shortstr(props, contentType);
            ByteArrayOutputStream table = new ByteArrayOutputStream();
            DataOutputStream entries = new DataOutputStream(table);
            shortstr(entries, headerName);
            entries.writeByte('S');
            entries.writeInt(1);
            entries.writeByte('v');
            props.writeInt(table.size());
            props.write(table.toByteArray());
            shortstr(props, messageId);
            frame(out, 2, 1, header.toByteArray());
            frame(out, 3, 1, body);
            await(in, 60, 80); // basic.ack: the broker has it
            method(out, 0, 10, 50, args -> {
                args.writeShort(200);
                shortstr(args, new byte[0]);
                args.writeShort(0);
                args.writeShort(0);
            });
            await(in, 10, 51);
        }
    }

    private interface Args {
        void write(DataOutputStream args) throws IOException;
    }

    private static void method(DataOutputStream out, int channel, int classId, int methodId, Args args)
            throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(payload);
        data.writeShort(classId);
        data.writeShort(methodId);
        args.write(data);
        frame(out, 1, channel, payload.toByteArray());
    }

    private static void frame(DataOutputStream out, int type, int channel, byte[] payload) throws IOException {
        out.writeByte(type);
        out.writeShort(channel);
        out.writeInt(payload.length);
        out.write(payload);
        out.writeByte(0xCE);
        out.flush();
    }

    private static void shortstr(DataOutputStream out, byte[] text) throws IOException {
        if (text.length > 255) {
            throw new IllegalArgumentException("a short string holds at most 255 bytes");
        }
        out.writeByte(text.length);
        out.write(text);
    }

    /** Reads frames until the method named arrives; its arguments. A close of the channel or connection fails. */
    private static DataInputStream await(DataInputStream in, int classId, int methodId) throws IOException {
        while (true) {
            int type = in.readUnsignedByte();
            in.readUnsignedShort();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            if (in.readUnsignedByte() != 0xCE) {
                throw new IOException("bad frame end");
            }
            if (type != 1) {
                continue;
            }
            DataInputStream args = new DataInputStream(new java.io.ByteArrayInputStream(payload));
            int gotClass = args.readUnsignedShort();
            int gotMethod = args.readUnsignedShort();
            if (gotClass == classId && gotMethod == methodId) {
                return args;
            }
            if ((gotClass == 10 || gotClass == 20) && gotMethod == 40 + (gotClass == 10 ? 10 : 0)) {
                int code = args.readUnsignedShort();
                byte[] text = new byte[args.readUnsignedByte()];
                args.readFully(text);
                throw new IOException("the broker closed: " + code + " " + new String(text, StandardCharsets.UTF_8));
            }
        }
    }
}
