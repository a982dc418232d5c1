package io.kache.s3.aws;

import io.kache.api.RemoteSettings;
import io.kache.api.S3CredentialSource;
import io.kache.api.S3Credentials;
import io.kache.api.StoreMisconfiguredException;
import io.kache.core.remote.s3.backend.S3Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * The SDK credentials provider for the kind of credential kache's chain found
 * ({@link RemoteSettings#credentialSource()}): every kind the AWS CLI knows.
 * <ul>
 *   <li>static keys: as given;</li>
 *   <li>a profile with {@code role_arn} + {@code source_profile}/{@code credential_source},
 *       {@code credential_process} or {@code sso_*}: the SDK's own profile provider, reading the
 *       two files kache found (it runs STS, SSO/SSO-OIDC or the process itself);</li>
 *   <li>web identity, from the call's environment or a profile: STS AssumeRoleWithWebIdentity, the
 *       token re-read from its file at every refresh, STS's region and endpoint taken from the
 *       call's environment ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_STS}) rather than this
 *       process's, which in kache's server belongs to an earlier call;</li>
 *   <li>nothing found: the container (ECS/EKS) then instance (EC2) role providers.</li>
 * </ul>
 */
final class AwsCredentialProviders {

    /** The session name when none is configured, as the AWS CLI's own default has no meaning here. */
    static final String DEFAULT_SESSION_NAME = "kache";

    private AwsCredentialProviders() {
    }

    static AwsCredentialsProvider forSettings(RemoteSettings settings) throws StoreMisconfiguredException {
        S3CredentialSource source = settings.credentialSource();
        return switch (source.kind()) {
            case STATIC_KEYS -> staticKeys(settings.credentials().orElseThrow());
            case PROFILE_ASSUME_ROLE, PROFILE_CREDENTIAL_PROCESS, PROFILE_SSO -> profile(source, settings.timeout());
            case WEB_IDENTITY, PROFILE_WEB_IDENTITY -> webIdentity(source, settings.region());
            case CONTAINER_OR_INSTANCE -> AwsCredentialsProviderChain.builder()
                    .credentialsProviders(ContainerCredentialsProvider.create(),
                            InstanceProfileCredentialsProvider.create())
                    .build();
        };
    }

    private static AwsCredentialsProvider staticKeys(S3Credentials c) {
        return StaticCredentialsProvider.create(c.sessionToken().isPresent()
                ? AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken().get())
                : AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()));
    }

    /** The SDK's profile provider over exactly the files kache's chain read, not this process's. */
    private static AwsCredentialsProvider profile(S3CredentialSource source, Duration requestTimeout)
            throws StoreMisconfiguredException {
        ProfileFile.Aggregator files = ProfileFile.aggregator();
        addIfPresent(files, source, S3CredentialSource.CONFIG_FILE, ProfileFile.Type.CONFIGURATION);
        addIfPresent(files, source, S3CredentialSource.CREDENTIALS_FILE, ProfileFile.Type.CREDENTIALS);
        try {
            ProfileFile profiles = files.build();
            String name = source.profile().orElseThrow();
            Optional<CredentialProcessWatch> watch = source.kind() == S3CredentialSource.Kind.PROFILE_CREDENTIAL_PROCESS
                    ? profiles.profile(name).flatMap(p -> p.property("credential_process"))
                            .map(command -> new CredentialProcessWatch(command.trim(), source.summary(), requestTimeout))
                    : Optional.empty();
            return new Reported(ProfileCredentialsProvider.builder()
                    .profileFile(profiles)
                    .profileName(name)
                    .build(), source.summary(), watch);
        } catch (RuntimeException e) {
            throw new StoreMisconfiguredException("cannot use " + source.summary() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The SDK's profile provider, whose failures that are not the SDK's own (a credential_process
     * that exits with an error or prints bad JSON: an IllegalStateException holding its stderr)
     * become an {@link AwsCredentialFailure} naming the profile and never the process's output; a
     * credential_process is asked under its {@link CredentialProcessWatch}.
     */
    record Reported(AwsCredentialsProvider delegate, String source, Optional<CredentialProcessWatch> watch)
            implements AwsCredentialsProvider {

        @Override
        public AwsCredentials resolveCredentials() {
            try {
                return watch.isPresent() ? watch.get().resolve(delegate) : delegate.resolveCredentials();
            } catch (SdkException | AwsCredentialFailure e) {
                throw e;
            } catch (RuntimeException e) {
                throw AwsCredentialFailure.of(source, e);
            }
        }
    }

    /**
     * Runs a profile's {@code credential_process} now, so that one that fails stops the remote from
     * opening (a sync then exits as for any remote it cannot open) instead of failing every request.
     * The SDK keeps what it printed for the first request. Other kinds ask a server (STS, SSO) at their
     * first request, as before.
     */
    static void checkNow(AwsCredentialsProvider provider, S3CredentialSource source)
            throws StoreMisconfiguredException {
        if (source.kind() != S3CredentialSource.Kind.PROFILE_CREDENTIAL_PROCESS) {
            return;
        }
        try {
            provider.resolveCredentials();
        } catch (AwsCredentialFailure e) {
            throw e.toStoreException();
        } catch (SdkException e) {
            throw new StoreMisconfiguredException("cannot get credentials from " + source.summary() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static void addIfPresent(ProfileFile.Aggregator files, S3CredentialSource source, String parameter,
            ProfileFile.Type type) {
        source.parameter(parameter).map(Path::of).filter(Files::isRegularFile)
                .ifPresent(p -> files.addFile(ProfileFile.builder().content(p).type(type).build()));
    }

    private static AwsCredentialsProvider webIdentity(S3CredentialSource source, String remoteRegion)
            throws StoreMisconfiguredException {
        String roleArn = source.parameter(S3CredentialSource.ROLE_ARN).orElseThrow();
        Path tokenFile = Path.of(source.parameter(S3CredentialSource.WEB_IDENTITY_TOKEN_FILE).orElseThrow());
        String sessionName = source.parameter(S3CredentialSource.ROLE_SESSION_NAME).orElse(DEFAULT_SESSION_NAME);
        StsClient sts = stsClient(source, remoteRegion);
        return StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                .stsClient(sts)
                .asyncCredentialUpdateEnabled(false)
                .refreshRequest(() -> AssumeRoleWithWebIdentityRequest.builder()
                        .roleArn(roleArn)
                        .roleSessionName(sessionName)
                        .webIdentityToken(readToken(tokenFile))
                        .build())
                .build();
    }

    /** An anonymous STS client (AssumeRoleWithWebIdentity is not signed) for the source's region and endpoint. */
    private static StsClient stsClient(S3CredentialSource source, String remoteRegion)
            throws StoreMisconfiguredException {
        String region = source.parameter(S3CredentialSource.STS_REGION)
                .orElse(remoteRegion.equals("auto") ? RemoteSettings.DEFAULT_REGION : remoteRegion);
        Optional<String> endpoint = S3Endpoint.sts(source);
        try {
            StsClientBuilder builder = StsClient.builder()
                    .region(Region.of(region))
                    .credentialsProvider(AnonymousCredentialsProvider.create())
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(c -> c.defaultProfileFile(ProfileFile.aggregator().build()));
            endpoint.map(URI::create).ifPresent(builder::endpointOverride);
            return builder.build();
        } catch (RuntimeException e) {
            throw new StoreMisconfiguredException("cannot build an STS client for " + source.summary() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The token, read at every refresh: EKS and CI runners rotate the file. */
    private static String readToken(Path tokenFile) {
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            // The message names the file, never its content.
            throw new UncheckedIOException("cannot read the web identity token file " + tokenFile, e);
        }
    }
}
