import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;

/**
 * Asks impmock for an access token at https://api.iamport.kr:PORT, the way a
 * JVM client that hard-codes the real base URL does: HttpsURLConnection with
 * the JVM's default trust and name lookup. The test run points those at
 * impmock with -Djdk.net.hosts.file (api.iamport.kr -> 127.0.0.1) and
 * -Djavax.net.ssl.trustStore (impmock's CA). Prints the protocol, the cipher
 * suite and the token; exits 1 on any other answer.
 *
 * Usage: java GetTokenOverTls PORT
 */
public final class GetTokenOverTls {
    private static final String SECRET =
        "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f";

    public static void main(String[] args) throws Exception {
        URL url = new URL("https://api.iamport.kr:" + args[0] + "/users/getToken");
        HttpsURLConnection conn = (HttpsURLConnection) url.openConnection();
        conn.setConnectTimeout(10_000);
        conn.setReadTimeout(10_000);
        conn.setRequestMethod("POST");
        conn.setDoOutput(true);
        conn.setRequestProperty("Content-Type", "application/json");
        byte[] body = ("{\"imp_key\":\"imp_apikey\",\"imp_secret\":\"" + SECRET + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = conn.getOutputStream()) {
            out.write(body);
        }
        int status = conn.getResponseCode();
        System.out.println("status " + status + ", cipher suite " + conn.getCipherSuite());
        String text;
        try (InputStream in = status < 400 ? conn.getInputStream() : conn.getErrorStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher token = Pattern.compile("\"access_token\":\"([0-9a-f]{40})\"").matcher(text);
        if (status != 200 || !text.startsWith("{\"code\":0,") || !token.find()) {
            System.out.println("unexpected answer: " + text);
            System.exit(1);
        }
        System.out.println("access_token " + token.group(1));
    }
}
